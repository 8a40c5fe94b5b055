import { describe, expect, it } from "vitest";
import { appendMotion, MOTION_PRESETS, wordCount } from "@/lib/client/motion-presets";
import { PROMPT_MAX_CODE_POINTS, promptLength } from "@/lib/contracts/prompt";

describe("prompt counter", () => {
  it("counts code points, as the provider does", () => {
    expect(promptLength("")).toBe(0);
    expect(promptLength("smile")).toBe(5);
    expect(promptLength("🙂🙂")).toBe(2);
    expect("🙂🙂".length).toBe(4);
    expect(promptLength("é")).toBe(1);
    expect(promptLength("e\u0301")).toBe(2);
  });

  it("has its limit at 2000", () => {
    expect(PROMPT_MAX_CODE_POINTS).toBe(2000);
    expect(promptLength("🙂".repeat(2000))).toBeLessThanOrEqual(PROMPT_MAX_CODE_POINTS);
    expect(promptLength("a".repeat(2001))).toBeGreaterThan(PROMPT_MAX_CODE_POINTS);
  });
});

describe("appendMotion", () => {
  const smile = "slowly breaks into a warm, natural smile";
  const blink = "blinks softly and naturally";

  it("starts a sentence in an empty prompt", () => {
    expect(appendMotion("", smile)).toBe("The person slowly breaks into a warm, natural smile.");
    expect(appendMotion("   ", blink)).toBe("The person blinks softly and naturally.");
  });

  it("continues the sentence with 'then'", () => {
    const once = appendMotion("", smile);
    expect(appendMotion(once, blink)).toBe("The person slowly breaks into a warm, natural smile, then blinks softly and naturally.");
    expect(appendMotion("A woman looks up!  ", blink)).toBe("A woman looks up, then blinks softly and naturally.");
  });

  it("does not add the same motion twice", () => {
    const once = appendMotion("", smile);
    expect(appendMotion(once, smile)).toBe(once);
  });

  it("keeps every preset subtle and short: no camera moves, a few words each", () => {
    for (const preset of MOTION_PRESETS) {
      expect(preset.phrase).not.toMatch(/\b(camera (pans|zooms|moves)|zoom|pan|dolly|tracking)\b/i);
      expect(wordCount(preset.phrase)).toBeLessThanOrEqual(12);
    }
    const all = MOTION_PRESETS.slice(0, 3).reduce((prompt, preset) => appendMotion(prompt, preset.phrase), "");
    expect(wordCount(all)).toBeGreaterThanOrEqual(10);
    expect(wordCount(all)).toBeLessThanOrEqual(30);
  });
});

describe("wordCount", () => {
  it("counts words separated by any whitespace", () => {
    expect(wordCount("")).toBe(0);
    expect(wordCount("  ")).toBe(0);
    expect(wordCount("She smiles,\n then\tnods.")).toBe(4);
  });
});
