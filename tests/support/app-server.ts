import { startApp as launchApp, type AppServer } from "../../bench/support/app-server";
import { errorLines, judge } from "./server-errors";

export { freePort, newDataDir, type AppServer } from "../../bench/support/app-server";

/**
 * The log sink: every app server started here is watched until its output has been
 * checked. After each test (tests/support/fail-on-server-errors.ts) its new output and
 * the 5xx answers it gave must hold no error, except lines the test declared with
 * `expectServerErrors`.
 */
interface Watched {
  app: AppServer;
  checkedTo: number;
  answers: string[];
  allowed: RegExp[];
  stopped: boolean;
}
const watched: Watched[] = [];

/**
 * Declares the error lines (log lines or `answered 5xx to METHOD /path`) this test
 * provokes on purpose. Each pattern must match at least one line, and every error line
 * must match a pattern; the declaration lasts until the end of the current test.
 */
export function expectServerErrors(app: AppServer, ...patterns: RegExp[]): void {
  const entry = watched.find((candidate) => candidate.app === app);
  if (!entry) throw new Error(`expectServerErrors: ${app.url} is not a watched app server`);
  entry.allowed.push(...patterns);
}

/** Called for every answer a test received over fetch; 5xx answers from our apps count as errors. */
export function noteAnswer(url: string, method: string, status: number): void {
  if (status < 500 || !URL.canParse(url)) return;
  const parsed = new URL(url);
  // A restarted server may reuse its port: the answer is the running one's.
  const entry =
    watched.findLast((candidate) => candidate.app.url === parsed.origin && !candidate.stopped) ??
    watched.findLast((candidate) => candidate.app.url === parsed.origin);
  entry?.answers.push(`answered ${status} to ${method.toUpperCase()} ${parsed.pathname}${parsed.search}`);
}

/**
 * Reads every watched server's output since the last check and returns a description of
 * what went wrong, or null. Forgets servers that have stopped.
 */
export async function takeServerErrors(): Promise<string | null> {
  if (watched.length === 0) return null;
  // A line logged just after the last answer is still in the pipe.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const problems: string[] = [];
  for (const entry of [...watched]) {
    const { url } = entry.app;
    const text = entry.app.output();
    // Whole lines only: the rest of a line still being written is read at the next check.
    const end = entry.stopped ? text.length : text.lastIndexOf("\n") + 1;
    const fresh = text.slice(entry.checkedTo, Math.max(end, entry.checkedTo));
    entry.checkedTo = Math.max(end, entry.checkedTo);
    const { unexpected, unseen } = judge([...errorLines(fresh), ...entry.answers], entry.allowed);
    entry.answers = [];
    entry.allowed = [];
    if (unexpected.length > 0) problems.push(`app server ${url} reported errors during this test:\n  ${unexpected.join("\n  ")}`);
    if (unseen.length > 0) problems.push(`app server ${url} did not report the declared errors: ${unseen.join(", ")}`);
    if (entry.stopped) watched.splice(watched.indexOf(entry), 1);
  }
  return problems.length > 0 ? problems.join("\n") : null;
}

/** The app as `npm start` serves it (bench/support/app-server.ts), watched by the log sink. */
export async function startApp(options: Parameters<typeof launchApp>[0] = {}): Promise<AppServer> {
  const app = await launchApp(options);
  const entry: Watched = { app, checkedTo: 0, answers: [], allowed: [], stopped: false };
  void app.exited.then(() => (entry.stopped = true));
  watched.push(entry);
  return app;
}
