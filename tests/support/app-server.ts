import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { errorLines, judge } from "./server-errors";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SERVER_SCRIPT = path.join(ROOT, "scripts", "server.mjs");

export interface AppServer {
  url: string;
  pid: number;
  dataDir: string;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

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
  const entry = watched.findLast((candidate) => candidate.app.url === parsed.origin && !candidate.stopped) ??
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

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export const newDataDir = () => mkdtempSync(path.join(os.tmpdir(), "portrait-live-test-"));

/**
 * Starts the real, built app (`npm start`'s server) as its own process, with only the
 * environment given here (nothing leaks in from the developer's shell). It is ready when
 * health answers 200, or with `ready: "answering"` when health answers at all (for tests
 * of an unhealthy server).
 */
export async function startApp(
  options: { env?: Record<string, string>; dataDir?: string; port?: number; host?: string; ready?: "healthy" | "answering" } = {},
): Promise<AppServer> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? newDataDir();
  let output = "";
  // Through the front-door server, as `npm start` runs it.
  const child: ChildProcess = spawn(process.execPath, [SERVER_SCRIPT], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? os.tmpdir(),
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      ...(process.env.NEXT_DIST_DIR ? { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR } : {}),
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: options.host ?? "127.0.0.1",
      LOG_LEVEL: "debug",
      // Suites that are not about limits must not trip them; limit tests set their own.
      CREATE_LIMIT_PER_CLIENT_PER_MINUTE: "1000",
      CREATE_LIMIT_GLOBAL_PER_MINUTE: "1000",
      MAX_IN_FLIGHT: "100",
      UPLOAD_LIMIT_PER_CLIENT_PER_MINUTE: "1000",
      UPLOAD_LIMIT_GLOBAL_PER_MINUTE: "1000",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  // "close" comes after the output pipes are drained, so the sink sees the last lines.
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited during start-up:\n${output}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.status === 200 || options.ready === "answering") break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`app did not become healthy in 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }

  const app: AppServer = {
    url,
    pid: child.pid ?? 0,
    dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
  const entry: Watched = { app, checkedTo: 0, answers: [], allowed: [], stopped: false };
  void exited.then(() => (entry.stopped = true));
  watched.push(entry);
  return app;
}
