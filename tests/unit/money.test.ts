import { describe, expect, it } from "vitest";
import { formatUsd } from "@/lib/contracts/money";

describe("formatUsd", () => {
  it("reads like money: dollars and cents, whatever precision the provider reported", () => {
    expect(formatUsd("0.2800")).toBe("$0.28");
    expect(formatUsd("0.28")).toBe("$0.28");
    expect(formatUsd("1.5")).toBe("$1.50");
    expect(formatUsd("12")).toBe("$12.00");
    expect(formatUsd("0.00")).toBe("$0.00");
    expect(formatUsd(0.84)).toBe("$0.84");
  });

  it("rounds half a cent up, and groups thousands", () => {
    expect(formatUsd("0.285")).toBe("$0.29");
    expect(formatUsd("0.2849")).toBe("$0.28");
    expect(formatUsd("1234.5")).toBe("$1,234.50");
  });

  it("never shows a real charge as nothing: under a cent keeps its own digits", () => {
    expect(formatUsd("0.0040")).toBe("$0.004");
    expect(formatUsd("0.000125")).toBe("$0.0001");
  });

  it("shows what it was given when that is not a number, rather than a wrong amount", () => {
    expect(formatUsd("n/a")).toBe("$n/a");
  });
});
