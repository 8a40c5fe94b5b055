import http from "node:http";
import { performance } from "node:perf_hooks";
import type { Figure } from "../report";
import { pacedLoad } from "../paced-load";
import { sampleRss, rssBytes } from "../process-memory";
import { createGeneration } from "../support/api";
import { startApp, type AppServer } from "../support/app-server";
import { noisyJpeg } from "../support/noisy-photo";
import { drawPortrait, toDataUrl } from "../support/photos";

const MB = 1024 * 1024;
/** Streams held open on one generation (BENCH_STREAMS to measure what a smaller machine holds). */
const STREAMS = Number(process.env.BENCH_STREAMS ?? 3000);
const REFUSALS = 15;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * P14: peak server RSS while three 100 MP uploads arrive at once; baseline: the idle server.
 * P15: time from sending a rate-limited create with a 16 MB photo (6000×6000 noise) until the
 * server's answer starts (median of 15); baseline: the admitted create of the same photo.
 * P16: /api/health p99 with STREAMS event streams open on one generation that keeps changing;
 * baseline: the same load with no streams. P17: time for one change to reach every stream.
 */
export async function measureBoundedWork(): Promise<Figure[]> {
  return [...(await measureUploadMemory()), ...(await measureRefusal()), ...(await measureStreams())];
}

async function measureUploadMemory(): Promise<Figure[]> {
  const app = await startApp({ env: { LOG_LEVEL: "warn" } });
  try {
    const photo = await noisyJpeg(10_000, 10_000, { quality: 75, grain: 8 });
    const upload = () =>
      fetch(`${app.url}/api/uploads`, { method: "POST", headers: { "Content-Type": "image/jpeg" }, body: new Uint8Array(photo) }).then((response) => {
        if (response.status !== 201) throw new Error(`a 100 MP upload answered ${response.status}`);
      });
    await upload();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idle = rssBytes(app.pid);
    const sampler = sampleRss(app.pid, 10);
    await Promise.all([upload(), upload(), upload()]);
    const peak = sampler.stop();
    return [
      {
        id: "P14",
        what: `peak server RSS, three 100 MP uploads at once (${(photo.length / MB).toFixed(1)} MB JPEGs)`,
        value: peak / MB,
        unit: "MB",
        baseline: idle / MB,
        baselineWhat: "the server idle after one upload",
        target: "≤ 600 MB",
        met: peak / MB <= 600,
      },
    ];
  } finally {
    await app.stop();
  }
}

/** Sends the create and resolves when the answer's status line arrives (the body may still be on its way up). */
function timeToAnswer(app: AppServer, body: Buffer): Promise<{ ms: number; status: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.request(`${app.url}/api/generations`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Content-Length": body.length },
    });
    request.on("response", (response) => {
      const ms = performance.now() - started;
      response.resume();
      request.destroy();
      resolve({ ms, status: response.statusCode ?? 0 });
    });
    // The server may answer and close before the whole body is sent.
    request.on("error", (error) => (request.destroyed ? undefined : reject(error)));
    request.end(body);
  });
}

async function measureRefusal(): Promise<Figure[]> {
  const app = await startApp({ env: { LOG_LEVEL: "warn", CREATE_LIMIT_PER_CLIENT_PER_MINUTE: "1" } });
  try {
    const body = Buffer.from(JSON.stringify({ image: toDataUrl(await noisyJpeg(6000, 6000)), prompt: "she smiles" }));
    const admitted = await timeToAnswer(app, body);
    if (admitted.status !== 201) throw new Error(`the first create answered ${admitted.status}`);
    const refused: number[] = [];
    for (let i = 0; i < REFUSALS; i++) {
      const answer = await timeToAnswer(app, body);
      if (answer.status !== 429) throw new Error(`a rate-limited create answered ${answer.status}`);
      refused.push(answer.ms);
    }
    const value = median(refused);
    return [
      {
        id: "P15",
        what: `rate-limited create with a ${(body.length / MB).toFixed(0)} MB data-URL photo, time to the 429 (median of ${REFUSALS})`,
        value,
        unit: "ms",
        baseline: admitted.ms,
        baselineWhat: "the admitted create of the same photo",
        target: "≤ 50 ms",
        met: value <= 50,
      },
    ];
  } finally {
    await app.stop();
  }
}

interface HeldStream {
  arrivals: number[];
  close(): void;
}

function holdStream(url: string, agent: http.Agent): Promise<HeldStream> {
  return new Promise((resolve, reject) => {
    const arrivals: number[] = [];
    const request = http.get(url, { agent }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`a stream answered ${response.statusCode}`));
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        if (chunk.includes("data: ")) arrivals.push(performance.now());
      });
      response.on("error", () => undefined);
      resolve({ arrivals, close: () => request.destroy() });
    });
    request.on("error", reject);
  });
}

export async function measureStreams(): Promise<Figure[]> {
  const app = await startApp({
    env: { LOG_LEVEL: "warn", DEMO_DURATION_MS: "600000", EVENT_STREAMS_PER_CLIENT: String(STREAMS), EVENT_STREAMS_MAX: String(STREAMS) },
  });
  const agent = new http.Agent({ maxSockets: Infinity });
  const streams: HeldStream[] = [];
  let hidden = false;
  /** A change every stream hears: the prompt hidden or shown again. */
  const change = () => {
    hidden = !hidden;
    return fetch(`${app.url}/api/generations/${id}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ hidePrompt: hidden }),
    }).then((response) => {
      if (response.status !== 200) throw new Error(`PATCH answered ${response.status}`);
    });
  };
  const { id } = await createGeneration(app.url, { image: toDataUrl(await drawPortrait()) });
  try {
    const healthLoad = async () => {
      const ticker = setInterval(() => void change(), 1000);
      try {
        return await pacedLoad(() => `${app.url}/api/health`, { clients: 20, periodMs: 200, durationMs: 10_000 });
      } finally {
        clearInterval(ticker);
      }
    };
    const baseline = await healthLoad();
    for (let opened = 0; opened < STREAMS; opened += 100) {
      const batch = Math.min(100, STREAMS - opened);
      streams.push(...(await Promise.all(Array.from({ length: batch }, () => holdStream(`${app.url}/api/generations/${id}/events`, agent)))));
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // One change: from the request that makes it until the last stream hears it.
    const heard = streams.map((stream) => stream.arrivals.length);
    const changedAt = performance.now();
    await change();
    const deadline = Date.now() + 60_000;
    while (streams.some((stream, index) => stream.arrivals.length <= (heard[index] ?? 0)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const arrivals = streams.map((stream, index) => (stream.arrivals[heard[index] ?? 0] ?? Number.POSITIVE_INFINITY) - changedAt);
    const withStreams = await healthLoad();
    return [
      {
        id: "P16",
        what: `GET /api/health p99 (20 clients, every 200 ms) with ${STREAMS} event streams open on one generation changing every second`,
        value: withStreams.p99,
        unit: "ms",
        baseline: baseline.p99,
        baselineWhat: "the same load and changes, no streams",
        target: "≤ 50 ms",
        met: withStreams.p99 <= 50 && withStreams.errors === 0,
      },
      {
        id: "P17",
        what: `one change (PATCH) until all ${STREAMS} streams have heard it`,
        value: Math.max(...arrivals),
        unit: "ms",
        baseline: Math.min(...arrivals),
        baselineWhat: "until the first stream heard it",
        target: "≤ 1000 ms",
        met: Math.max(...arrivals) <= 1000,
      },
    ];
  } finally {
    for (const stream of streams) stream.close();
    agent.destroy();
    await app.stop();
  }
}
