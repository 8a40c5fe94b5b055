import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SERVER_SCRIPT = path.join(ROOT, "scripts", "server.mjs");

export interface AppServer {
  url: string;
  pid: number;
  dataDir: string;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** Kills the server (SIGKILL, as a crash would) and waits until its output is drained. */
  stop(): Promise<void>;
  /** Settles once the process has exited and its output pipes are drained. */
  exited: Promise<void>;
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
 * Starts the real, built app as its own process, through the front-door server as `npm
 * start` runs it, with only the environment given here (nothing leaks in from the
 * developer's shell). It is ready when health answers 200, or with `ready: "answering"`
 * when health answers at all (for tests of an unhealthy server). The benchmarks use it as
 * it is; the test suite's helper (tests/support/app-server.ts) adds its log sink on top.
 */
export async function startApp(
  options: { env?: Record<string, string>; dataDir?: string; port?: number; host?: string; ready?: "healthy" | "answering" } = {},
): Promise<AppServer> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? newDataDir();
  let output = "";
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
  // "close" comes after the output pipes are drained, so no last line is lost.
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

  return {
    url,
    pid: child.pid ?? 0,
    dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
    exited,
  };
}
