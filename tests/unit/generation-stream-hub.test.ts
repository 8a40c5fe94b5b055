import { describe, expect, it } from "vitest";
import { aGeneration } from "../support/fakes/generation-record";
import type { GenerationView } from "@/lib/contracts/generation";
import { createProcessCoordination } from "@/lib/coordination/process-coordination";
import { createGenerationEvents } from "@/lib/generations/generation-events";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import { createGenerationStreamHub, type StreamUpdate } from "@/lib/generations/generation-stream-hub";
import { toGenerationView } from "@/lib/generations/to-generation-view";

const STREAMS = 500;

/** A hub over real change events, with a store and a view builder that count their work. */
function hubWithCounts(record: GenerationRecord) {
  let current: GenerationRecord | undefined = record;
  const counts = { reads: 0, viewers: 0, views: 0 };
  const events = createGenerationEvents(createProcessCoordination());
  const hub = createGenerationStreamHub({
    events,
    read: async (id) => {
      counts.reads++;
      return current?.id === id ? current : undefined;
    },
    newViewer: () => {
      counts.viewers++;
      return async (found) => {
        counts.views++;
        return toGenerationView(found, {});
      };
    },
  });
  const change = (next: GenerationRecord | undefined) => {
    current = next;
    events.emit(record.id);
  };
  return { hub, counts, change };
}

function followMany(hub: ReturnType<typeof hubWithCounts>["hub"], id: string, count: number) {
  const heard: StreamUpdate[][] = Array.from({ length: count }, () => []);
  const stops = heard.map((updates) => hub.follow(id, (update) => updates.push(update)));
  return { heard, stopAll: () => stops.forEach((stop) => stop()) };
}

const statuses = (updates: StreamUpdate[]) => updates.map((update) => ("view" in update ? update.view.status : "gone"));

describe("generation stream hub", () => {
  it(`${STREAMS} streams of one generation: one read and one view build per change, and every stream hears it`, async () => {
    const record = aGeneration({}, { status: "queued" });
    const { hub, counts, change } = hubWithCounts(record);
    const { heard } = followMany(hub, record.id, STREAMS);
    await expect.poll(() => heard.every((updates) => updates.length === 1)).toBe(true);
    expect(counts).toEqual({ reads: 1, viewers: 1, views: 1 });

    change({ ...record, status: "processing", progress: 0.5 });
    await expect.poll(() => heard.every((updates) => updates.length === 2)).toBe(true);
    expect(counts).toEqual({ reads: 2, viewers: 1, views: 2 });
    expect(new Set(heard.map((updates) => JSON.stringify(statuses(updates))))).toEqual(new Set([JSON.stringify(["queued", "processing"])]));
  });

  it("a stream that joins later hears the current view without another read", async () => {
    const record = aGeneration({}, { status: "processing" });
    const { hub, counts } = hubWithCounts(record);
    const first = followMany(hub, record.id, 1);
    await expect.poll(() => first.heard[0]?.length).toBe(1);
    const late = followMany(hub, record.id, 1);
    await expect.poll(() => late.heard[0]?.length).toBe(1);
    expect((late.heard[0]?.[0] as { view: GenerationView }).view.status).toBe("processing");
    expect(counts.reads).toBe(1);
  });

  it("changes that arrive during a read fold into one more read; a deleted generation is heard as gone", async () => {
    const record = aGeneration({}, { status: "queued" });
    const { hub, counts, change } = hubWithCounts(record);
    const { heard } = followMany(hub, record.id, 3);
    await expect.poll(() => heard[0]?.length).toBe(1);
    for (let i = 0; i < 10; i++) change({ ...record, status: "processing", progress: i / 10 });
    change(undefined);
    await expect.poll(() => heard[0]?.at(-1)).toEqual({ gone: true });
    expect(counts.reads).toBeLessThanOrEqual(3);
  });

  it("once every stream has stopped, changes cost nothing; a new stream starts afresh", async () => {
    const record = aGeneration({}, { status: "queued" });
    const { hub, counts, change } = hubWithCounts(record);
    const streams = followMany(hub, record.id, 2);
    await expect.poll(() => streams.heard[1]?.length).toBe(1);
    streams.stopAll();
    streams.stopAll();
    change({ ...record, status: "processing" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(counts).toEqual({ reads: 1, viewers: 1, views: 1 });
    const again = followMany(hub, record.id, 1);
    await expect.poll(() => again.heard[0]?.length).toBe(1);
    expect(statuses(again.heard[0] ?? [])).toEqual(["processing"]);
    expect(counts).toEqual({ reads: 2, viewers: 2, views: 2 });
  });
});
