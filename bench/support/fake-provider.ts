import { spawn } from "node:child_process";
import path from "node:path";
import { freePort } from "./app-server";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** What the benchmarks read from the fake gateway's control API (`GET /__control/stats`). */
export interface ProviderStats {
  creates: { accepted: number; requests: Array<{ taskId: string | null; params: { prompt?: string } }> };
  polls: { total: number };
}

export interface FakeProvider {
  url: string;
  apiKey: string;
  stats(): Promise<ProviderStats>;
  completeTask(id: string): Promise<void>;
  close(): Promise<void>;
}

/** One call to the fake gateway's control API: GET without a body, POST with one. */
export function controlCall(baseUrl: string) {
  return async (route: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${baseUrl}/__control/${route}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`fake provider control ${route} answered ${response.status}`);
    return response.json() as Promise<unknown>;
  };
}

/**
 * The project's fake Vtrix gateway (`npm run fake-upstream`, a real HTTP server speaking
 * the documented protocol) as a separate process, driven over its control API: the
 * benchmarks use it as a program, not as code of the test suite.
 */
export async function startFakeProvider(options: {
  apiKey: string;
  timeline: { pendingMs: number; processingMs: number };
  /** The MP4 its completed tasks return (default: its own sample clip). */
  videoFile?: string;
}): Promise<FakeProvider> {
  const port = await freePort();
  const child = spawn("npm", ["run", "--silent", "fake-upstream"], {
    cwd: ROOT,
    env: {
      ...process.env,
      FAKE_UPSTREAM_PORT: String(port),
      FAKE_UPSTREAM_API_KEY: options.apiKey,
      FAKE_UPSTREAM_PENDING_MS: String(options.timeline.pendingMs),
      FAKE_UPSTREAM_PROCESSING_MS: String(options.timeline.processingMs),
      FAKE_UPSTREAM_VIDEO_FILE: options.videoFile ?? "",
    },
    // Its own process group, so closing it ends npm, tsx and the server together.
    detached: true,
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${port}`;
  const control = controlCall(url);
  const close = async () => {
    if (child.exitCode !== null || !child.pid) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid, "SIGTERM");
    await exited;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await control("stats");
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) {
        await close();
        throw new Error("the fake provider did not start");
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return {
    url,
    apiKey: options.apiKey,
    stats: async () => (await control("stats")) as ProviderStats,
    completeTask: async (id) => void (await control(`tasks/${encodeURIComponent(id)}/complete`, {})),
    close,
  };
}
