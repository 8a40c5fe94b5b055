import http from "node:http";
import { performance } from "node:perf_hooks";

export interface PacedLoadOptions {
  /** How many clients, each with its own keep-alive connection. */
  clients: number;
  /** Each client sends one request per period, at a random phase. */
  periodMs: number;
  durationMs: number;
  timeoutMs?: number;
}

export interface PacedLoadResult {
  requests: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
  /** Completed requests per second over the run. */
  rps: number;
}

/**
 * Open-loop load, the way browsers poll: every client sends a GET each period whether or
 * not the server kept up. Latency counts from when a request was due, not when it left,
 * so a server that stalls cannot hide the requests it delayed (no coordinated omission).
 * Each client makes one request first to open its connection; that one is not counted.
 */
export async function pacedLoad(urlFor: (client: number) => string, options: PacedLoadOptions): Promise<PacedLoadResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const latencies: number[] = [];
  let errors = 0;

  const agents = Array.from({ length: options.clients }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  const get = (client: number) =>
    new Promise<boolean>((resolve) => {
      const request = http.get(urlFor(client), { agent: agents[client], timeout: timeoutMs }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode === 200));
        response.on("error", () => resolve(false));
      });
      request.on("timeout", () => request.destroy(new Error("timed out")));
      request.on("error", () => resolve(false));
    });

  try {
    await Promise.all(agents.map((_, client) => get(client)));
    const start = performance.now();
    const end = start + options.durationMs;
    await Promise.all(
      agents.map(async (_, client) => {
        for (let due = start + Math.random() * options.periodMs; due < end; due += options.periodMs) {
          const wait = due - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          const ok = await get(client);
          if (ok) latencies.push(performance.now() - due);
          else errors++;
        }
      }),
    );
    const elapsedS = (performance.now() - start) / 1000;
    latencies.sort((a, b) => a - b);
    const at = (quantile: number) => latencies[Math.max(0, Math.ceil(quantile * latencies.length) - 1)] ?? 0;
    return { requests: latencies.length + errors, errors, p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? 0, rps: latencies.length / elapsedS };
  } finally {
    for (const agent of agents) agent.destroy();
  }
}
