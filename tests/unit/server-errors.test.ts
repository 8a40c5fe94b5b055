import { describe, expect, it } from "vitest";
import { errorLines, judge } from "../support/server-errors";

describe("the test log sink's judgement", () => {
  const log = [
    '{"level":30,"msg":"services ready"}',
    '{"level":40,"msg":"provider slow"}',
    '{"level":50,"err":{"message":"boom"},"msg":"unhandled error in route handler"}',
    '{"level":60,"msg":"fatal"}',
    " ⨯ ReferenceError: window is not defined",
    "    at ShareControls (.next/server/chunks/ssr/x.js:1:2)",
    "TypeError: 'TRACE' HTTP method is unsupported.",
    "Error: connect ECONNREFUSED",
    "▲ Next.js 16.4.6",
    "\x1b[31m\x1b[1m⨯\x1b[22m\x1b[39m TypeError: coloured",
    "\x1b[32m\x1b[1m✓\x1b[22m\x1b[39m Ready in 697ms",
    "{not json",
  ].join("\n");

  it("picks pino errors and fatals and Next's own error prints, nothing else", () => {
    expect(errorLines(log)).toEqual([
      '{"level":50,"err":{"message":"boom"},"msg":"unhandled error in route handler"}',
      '{"level":60,"msg":"fatal"}',
      "⨯ ReferenceError: window is not defined",
      "TypeError: 'TRACE' HTTP method is unsupported.",
      "Error: connect ECONNREFUSED",
      "⨯ TypeError: coloured",
    ]);
  });

  it("every line must be declared, and every declaration must be seen", () => {
    const lines = ["answered 503 to GET /api/health", '{"level":50,"msg":"media store check failed"}'];
    expect(judge(lines, [/answered 503 to GET \/api\/health/g, /media store check failed/])).toEqual({ unexpected: [], unseen: [] });
    expect(judge(lines, [/media store check failed/, /never printed/])).toEqual({
      unexpected: ["answered 503 to GET /api/health"],
      unseen: [/never printed/],
    });
  });
});
