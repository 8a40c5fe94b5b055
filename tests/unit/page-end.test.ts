import { describe, expect, it } from "vitest";
import { ApiRequestError } from "@/lib/client/api-request-error";
import { endReasonOf, mayPass } from "@/lib/client/page-end";

const answered = (status: number, code = "x") => new ApiRequestError("message", status, code);

describe("endReasonOf", () => {
  it("reads a 404 as deleted and a 401 as signed out", () => {
    expect(endReasonOf(answered(404, "not_found"))).toBe("deleted");
    expect(endReasonOf(answered(401, "unauthorized"))).toBe("signed-out");
  });

  it("leaves every other failure to the page's usual handling", () => {
    for (const error of [answered(0, "network"), answered(400), answered(403, "forbidden"), answered(429), answered(500), answered(503)]) {
      expect(endReasonOf(error)).toBeNull();
    }
    expect(endReasonOf(new Error("boom"))).toBeNull();
    expect(endReasonOf(null)).toBeNull();
  });
});

describe("mayPass", () => {
  it("is true for network failures and 5xx answers only", () => {
    expect(mayPass(answered(0, "network"))).toBe(true);
    expect(mayPass(answered(500))).toBe(true);
    expect(mayPass(answered(503))).toBe(true);
    for (const status of [400, 401, 403, 404, 409, 429]) expect(mayPass(answered(status))).toBe(false);
    // A malformed answer is not fixed by asking again.
    expect(mayPass(new Error("parse"))).toBe(false);
  });
});
