import { describe, expect, it } from "vitest";
import { createTakesBodySchema } from "@/lib/contracts/takes";
import { MAX_TAKES } from "@/lib/contracts/take-limits";
import { CURATED_MOTIONS, wordCount } from "@/lib/client/motion-presets";
import { queueRefusal } from "@/lib/queue/queue-admission";
import { queuePlaces, typicalDurationMs } from "@/lib/queue/queue-estimate";
import { quoteTakes, singleGenerationNote } from "@/lib/client/take-quote";
import { buildVariations } from "@/lib/client/take-variations";

const uploadId = "U".repeat(21);

describe("take set validation", () => {
  const issue = (body: unknown) => {
    const result = createTakesBodySchema.safeParse(body);
    return result.success ? null : { path: result.error.issues[0]!.path.join("."), message: result.error.issues[0]!.message };
  };

  it("takes 1 to 4 takes with defaults for the switches", () => {
    const parsed = createTakesBodySchema.parse({ uploadId, takes: [{ prompt: "smile" }, { prompt: "blink", watermark: true }] });
    expect(parsed.takes).toEqual([
      { prompt: "smile", promptOptimizer: true, watermark: false },
      { prompt: "blink", promptOptimizer: true, watermark: true },
    ]);
  });

  it("refuses 0 or 5 takes, empty or too long prompts, and names the take", () => {
    expect(issue({ uploadId, takes: [] })).toEqual({ path: "takes", message: "Send at least 1 take." });
    expect(issue({ uploadId, takes: Array.from({ length: 5 }, () => ({ prompt: "x" })) })).toEqual({
      path: "takes",
      message: "At most 4 takes can be started together.",
    });
    expect(issue({ uploadId, takes: [{ prompt: "a" }, { prompt: " \n " }] })).toEqual({
      path: "takes.1.prompt",
      message: "Each take needs a prompt describing its motion.",
    });
    expect(issue({ uploadId, takes: [{ prompt: "é".repeat(2001) }] })?.message).toMatch(/at most 2000 characters/);
    expect(issue({ uploadId, takes: [{ prompt: "é".repeat(2000) }] })).toBeNull();
    expect(issue({ takes: [{ prompt: "a" }] })?.path).toBe("uploadId");
    expect(issue({ uploadId, image: "data:x", takes: [{ prompt: "a" }] })?.path).toBe("image");
  });
});

describe("curated motions for takes", () => {
  it("is a written list of distinct, complete prompts of the length the model does best with", () => {
    expect(CURATED_MOTIONS.length).toBeGreaterThanOrEqual(MAX_TAKES * 2);
    expect(new Set(CURATED_MOTIONS.map((motion) => motion.prompt)).size).toBe(CURATED_MOTIONS.length);
    expect(new Set(CURATED_MOTIONS.map((motion) => motion.label)).size).toBe(CURATED_MOTIONS.length);
    for (const { prompt } of CURATED_MOTIONS) {
      expect(prompt).toMatch(/^[A-Z][^]*\.$/u);
      expect(prompt).not.toMatch(/, then .*, then /u);
      expect(wordCount(prompt)).toBeGreaterThanOrEqual(10);
      expect(wordCount(prompt)).toBeLessThanOrEqual(30);
    }
  });

  it("keeps the user's prompt first and gives every further take a different curated motion, word for word", () => {
    const prompts = buildVariations("She looks up.", 4);
    expect(prompts[0]).toBe("She looks up.");
    expect(new Set(prompts).size).toBe(4);
    const curated = new Set<string>(CURATED_MOTIONS.map((motion) => motion.prompt));
    for (const prompt of prompts.slice(1)) expect(curated.has(prompt)).toBe(true);
  });

  it("never repeats the user's prompt, starts from a motion when the prompt is empty, and varies again from further on", () => {
    const first = CURATED_MOTIONS[0]!.prompt;
    expect(buildVariations(`  ${first} `, 3).slice(1)).not.toContain(first);
    expect(buildVariations("  ", 2)).toEqual([first, CURATED_MOTIONS[1]!.prompt]);
    expect(buildVariations("x", 1)).toEqual(["x"]);
    const again = buildVariations("x", 3, 2);
    expect(again.slice(1)).toEqual([CURATED_MOTIONS[2]!.prompt, CURATED_MOTIONS[3]!.prompt]);
    const wrapped = buildVariations("x", 3, CURATED_MOTIONS.length - 1);
    expect(wrapped.slice(1)).toEqual([CURATED_MOTIONS.at(-1)!.prompt, CURATED_MOTIONS[0]!.prompt]);
  });
});

describe("queue places and estimates", () => {
  const nowMs = Date.parse("2026-11-30T12:00:00Z");

  it("uses the middle of recent durations, or the fallback", () => {
    expect(typicalDurationMs([], 90_000)).toBe(90_000);
    expect(typicalDurationMs([10, 30, 20], 1)).toBe(20);
    expect(typicalDurationMs([10, 40, 20, 30], 1)).toBe(25);
  });

  it("numbers waiting generations from 1 and estimates their start a typical duration per round ahead", () => {
    const places = queuePlaces({ running: 2, waiting: ["a", "b", "c"], recentDurationsMs: [60_000] }, { maxInFlight: 2, nowMs, fallbackDurationMs: 1 });
    expect([...places.entries()].map(([id, place]) => [id, place.queuePosition, Date.parse(place.estimatedStartAt) - nowMs])).toEqual([
      ["a", 1, 60_000],
      ["b", 2, 60_000],
      ["c", 3, 120_000],
    ]);
    const free = queuePlaces({ running: 1, waiting: ["a", "b"], recentDurationsMs: [] }, { maxInFlight: 2, nowMs, fallbackDurationMs: 5_000 });
    expect(Date.parse(free.get("a")!.estimatedStartAt) - nowMs).toBe(0);
    expect(Date.parse(free.get("b")!.estimatedStartAt) - nowMs).toBe(5_000);
  });

  it("admits a set only when all of it fits; MAX_QUEUED=0 is the plain in-flight cap", () => {
    expect(queueRefusal(2, 3, 2, 3)).toBeNull();
    expect(queueRefusal(2, 4, 2, 3)).toMatch(/queue is full: 0 generations are waiting and 2 running \(at most 3 may wait\)\. 4 more would not fit/);
    expect(queueRefusal(1, 1, 2, 0)).toBeNull();
    expect(queueRefusal(2, 1, 2, 0)).toBe("2 generations are already in progress (the limit is 2). Please wait for one to finish.");
  });
});

describe("take quote", () => {
  const status = {
    maxInFlight: 2,
    maxQueued: 3,
    running: 1,
    waiting: 0,
    costPerTakeUsd: "0.28",
    costIsEstimate: false,
    budgetRemainingUsd: null,
    costEstimateUsd: "0.30",
  };

  it("prices the takes and says how many wait", () => {
    expect(quoteTakes(3, status)).toMatchObject({ totalUsd: "0.84", roomInQueue: 4, willWait: 2, refusal: null });
  });

  it("says when the queue or the budget would refuse the set", () => {
    expect(quoteTakes(4, { ...status, waiting: 2 }).refusal).toBe("The queue has room for only 2 more takes right now.");
    expect(quoteTakes(3, { ...status, budgetRemainingUsd: "0.65" }).refusal).toBe("The spending limit covers only 2 more takes right now.");
    expect(quoteTakes(2, { ...status, budgetRemainingUsd: "0.10" }).refusal).toBe("The spending limit covers no more takes right now.");
    expect(quoteTakes(1, { ...status, budgetRemainingUsd: "0.10" }).refusal).toBe("The spending limit covers no more videos right now.");
  });

  it("gives a single generation its price and place before the click", () => {
    expect(singleGenerationNote(quoteTakes(1, status))).toBe("About $0.28 · starts at once");
    const busy = { ...status, running: 2, waiting: 2 };
    expect(singleGenerationNote(quoteTakes(1, busy))).toBe("About $0.28 · will wait for a free slot: 3rd in line");
    expect(singleGenerationNote(quoteTakes(1, { ...busy, costPerTakeUsd: "0.2800" }))).toBe("About $0.28 · will wait for a free slot: 3rd in line");
    expect(singleGenerationNote(quoteTakes(1, { ...status, running: 2, waiting: 3 }))).toBe("The queue has room for no more videos right now.");
  });
});

describe("history grouping", () => {
  const view = (id: string, createdAt: string, set?: string, favourite?: boolean) =>
    ({ id, createdAt, takeSetId: set, favourite }) as unknown as import("@/lib/contracts/generation").GenerationView;

  it("makes one card per set where its newest take was, favourite first, singles unchanged", async () => {
    const { groupHistory } = await import("@/lib/takes/group-history");
    const entries = groupHistory([
      view("single-new", "2026-11-30T10:00:05.000Z"),
      view("t3", "2026-11-30T10:00:00.002Z", "S"),
      view("t2", "2026-11-30T10:00:00.001Z", "S", true),
      view("t1", "2026-11-30T10:00:00.000Z", "S"),
      view("single-old", "2026-11-30T09:00:00.000Z"),
    ]);
    expect(entries.map((entry) => (entry.kind === "single" ? entry.generation.id : entry.takes.map((take) => take.id).join(",")))).toEqual([
      "single-new",
      "t2,t1,t3",
      "single-old",
    ]);
  });
});
