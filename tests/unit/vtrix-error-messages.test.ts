import { describe, expect, it } from "vitest";
import { messageForHttpStatus, messageForTaskError, normaliseErrorCode } from "@/lib/upstream/vtrix/error-messages";

describe("error mapping", () => {
  it.each([
    ["010006095", "internal error while generating"],
    ["010006096", "could not read back the generated result"],
    ["010006097", "error response from the model service"],
    ["010006098", "could not check the task's status"],
    ["010006099", "could not create the task"],
  ])("documented code %s has its own message", (code, text) => {
    expect(messageForTaskError(code, null)).toContain(text);
    expect(messageForTaskError(String(Number(code)), "raw")).toContain(text);
  });

  it("every documented code has a distinct message", () => {
    const messages = ["95", "96", "97", "98", "99"].map((end) => messageForTaskError(`100060${end}`, null));
    expect(new Set(messages).size).toBe(5);
  });

  it("falls back to the provider's words for unknown codes", () => {
    expect(messageForTaskError("777", "quota")).toBe("The provider could not generate the video: quota");
  });

  it("normalises codes given as numbers, padded strings and junk", () => {
    expect(normaliseErrorCode(10006095)).toBe("10006095");
    expect(normaliseErrorCode("010006095")).toBe("10006095");
    expect(normaliseErrorCode(" E42 ")).toBe("E42");
    expect(normaliseErrorCode(undefined)).toBe("");
  });

  it.each([
    [401, "API key is missing or invalid"],
    [403, "insufficient balance"],
    [429, "rate limit"],
    [500, "having trouble"],
    [503, "having trouble"],
    [400, "refused the request (HTTP 400)"],
  ])("HTTP %i → specific message", (status, text) => {
    expect(messageForHttpStatus(status)).toContain(text);
  });
});
