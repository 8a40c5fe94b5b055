import { describe, expect, it } from "vitest";
import type { BusMessage } from "@/lib/coordination/coordination";
import { parseBusMessage } from "@/lib/coordination/bus-message";
import { createProcessCoordination } from "@/lib/coordination/process-coordination";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("coordination in one process (the SQLite setting)", () => {
  it("limits, locks and the bus work in memory", async () => {
    const coordination = createProcessCoordination();
    const limiter = coordination.limiter({ name: "memory", points: 2, durationSeconds: 60 });
    expect(await limiter.consume("k")).toEqual({ allowed: true });
    expect(await limiter.consume("k")).toEqual({ allowed: true });
    expect(await limiter.consume("k")).toMatchObject({ allowed: false });
    const heard: BusMessage[] = [];
    coordination.subscribe((message) => heard.push(message));
    coordination.publish({ type: "nudge", id: "x" });
    expect(heard).toEqual([{ type: "nudge", id: "x" }]);
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 5 }, () =>
        coordination.exclusive("admission", async () => {
          most = Math.max(most, ++inside);
          await sleep(5);
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
  });
});

describe("messages between instances", () => {
  it("reads what an instance sent and ignores anything else on the channel", () => {
    expect(parseBusMessage(JSON.stringify({ sender: "a", body: { type: "changed", id: "g1" } }))).toEqual({ sender: "a", body: { type: "changed", id: "g1" } });
    expect(parseBusMessage(JSON.stringify({ sender: "a", body: { type: "nudge", id: "g1" } }))?.body.type).toBe("nudge");
    expect(parseBusMessage(JSON.stringify({ sender: "a", body: { type: "session_ended", id: "s1" } }))?.body).toEqual({ type: "session_ended", id: "s1" });
    expect(parseBusMessage(JSON.stringify({ sender: "a", body: { type: "sessions_ended" } }))?.body).toEqual({ type: "sessions_ended" });
    for (const payload of [
      undefined,
      "",
      "not json",
      "{}",
      JSON.stringify({ sender: "a", body: { type: "drop", id: "g1" } }),
      JSON.stringify({ sender: "a", body: { type: "changed", id: "" } }),
      JSON.stringify({ sender: "a", body: { type: "session_ended" } }),
    ]) {
      expect(parseBusMessage(payload)).toBeNull();
    }
  });
});
