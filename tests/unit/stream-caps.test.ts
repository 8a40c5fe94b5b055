import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/errors";
import { createStreamCaps } from "@/lib/http/stream-caps";

const refusalOf = (open: () => unknown) => {
  try {
    open();
  } catch (error) {
    if (error instanceof ApiError) return { code: error.code, retryAfterSeconds: error.retryAfterSeconds };
    throw error;
  }
  return undefined;
};

describe("event stream caps", () => {
  it("refuses a client past its own cap and anyone past the total, with a time to retry; a release gives the place back once", () => {
    const caps = createStreamCaps({ perClient: 2, total: 3 });
    const a1 = caps.open("a");
    caps.open("a");
    expect(refusalOf(() => caps.open("a"))).toEqual({ code: "rate_limited", retryAfterSeconds: 30 });
    caps.open("b");
    expect(refusalOf(() => caps.open("b"))).toEqual({ code: "rate_limited", retryAfterSeconds: 30 });
    a1();
    a1();
    caps.open("b");
    expect(refusalOf(() => caps.open("c"))).toMatchObject({ code: "rate_limited" });
  });
});
