import { describe, expect, it } from "vitest";
import { createQueueWaker } from "@/lib/queue/queue-waker";

describe("queue waker", () => {
  it("kicks the oldest waiting generations, and folds wakes during a round into one more round", async () => {
    const kicked: string[] = [];
    let reads = 0;
    let release: () => void = () => undefined;
    const waker = createQueueWaker({
      oldestWaiting: () => {
        reads++;
        return new Promise<string[]>((resolve) => {
          release = () => resolve([`g${reads}a`, `g${reads}b`]);
        });
      },
      kick: (id) => kicked.push(id),
      onError: () => undefined,
    });
    waker.wake();
    waker.wake();
    waker.wake();
    expect(reads).toBe(1);
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(kicked).toEqual(["g1a", "g1b"]);
    expect(reads).toBe(2);
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(kicked).toEqual(["g1a", "g1b", "g2a", "g2b"]);
    expect(reads).toBe(2);
  });

  it("reports a failed read and keeps working", async () => {
    const errors: unknown[] = [];
    let fail = true;
    const kicked: string[] = [];
    const waker = createQueueWaker({
      oldestWaiting: async () => {
        if (fail) throw new Error("store down");
        return ["x"];
      },
      kick: (id) => kicked.push(id),
      onError: (error) => errors.push(error),
    });
    waker.wake();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(errors).toHaveLength(1);
    fail = false;
    waker.wake();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(kicked).toEqual(["x"]);
  });
});
