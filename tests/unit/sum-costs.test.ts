import { describe, expect, it } from "vitest";
import { sumCosts } from "@/lib/generations/tally-spend";

describe("sumCosts", () => {
  it("adds decimal strings without floating-point drift", () => {
    expect(sumCosts(Array.from({ length: 10 }, () => "0.1"))).toBe("1.00");
    expect(sumCosts(["0.28", "0.28", "0.28"])).toBe("0.84");
  });

  it("keeps the finest precision the provider gave", () => {
    expect(sumCosts(["0.2812", "0.28"])).toBe("0.5612");
  });

  it("is 0.00 for nothing", () => {
    expect(sumCosts([])).toBe("0.00");
  });
});
