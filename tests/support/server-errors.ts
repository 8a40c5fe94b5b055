/**
 * What counts as a server error in a test: a pino line at level error (50) or fatal (60),
 * or one of Next's own error prints. Shared by the integration sink and the browser
 * tests' fixture, so both suites judge a log the same way.
 */
const PINO_ERROR_LEVEL = 50;

/** Next prints render and route errors itself, as ` ⨯ <error>` or a bare `Error: ...` / `TypeError: ...`. */
const NEXT_ERROR_PRINT = /^(?:⨯|[A-Za-z]*Error:|Unhandled Rejection|uncaughtException)/;

/** Colour codes: Next colours its prints when it thinks a terminal is watching (Playwright sets FORCE_COLOR). */
// eslint-disable-next-line no-control-regex -- the escape character is what this matches
const ANSI_ESCAPE = /\x1b\[[0-9;]*m/g;

export function errorLines(text: string): string[] {
  const found: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(ANSI_ESCAPE, "").trim();
    if (!line) continue;
    if (line.startsWith("{")) {
      try {
        const entry = JSON.parse(line) as { level?: unknown };
        if (typeof entry.level === "number" && entry.level >= PINO_ERROR_LEVEL) found.push(line);
        continue;
      } catch {
        // Not a pino line; judge it as text.
      }
    }
    if (NEXT_ERROR_PRINT.test(line)) found.push(line);
  }
  return found;
}

/** Lines not matched by any allowed pattern, and patterns that matched no line. */
export function judge(lines: string[], allowed: RegExp[]): { unexpected: string[]; unseen: RegExp[] } {
  // A /g pattern keeps state between test() calls; match with a fresh copy each time.
  const matches = (pattern: RegExp, line: string) => new RegExp(pattern.source, pattern.flags.replace("g", "")).test(line);
  const unexpected = lines.filter((line) => !allowed.some((pattern) => matches(pattern, line)));
  const unseen = allowed.filter((pattern) => !lines.some((line) => matches(pattern, line)));
  return { unexpected, unseen };
}
