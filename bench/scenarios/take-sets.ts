import { median } from "../chromium";
import type { Figure } from "../report";
import { startApp } from "../support/app-server";
import { startFakeProvider } from "../support/fake-provider";
import { drawPortrait } from "../support/photos";

const ROUNDS = 9;
const TAKES = 4;
const TARGET_MS = 300;

async function timedPost(url: string, body: unknown): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (response.status !== 201) throw new Error(`${url} answered ${response.status}`);
  return elapsed;
}

/**
 * P11: the answer time of POST /api/takes starting a set of 4 from an uploaded portrait,
 * against a single POST /api/generations from the same upload in the same run (the two
 * alternate, so load on the machine falls on both alike).
 */
export async function measureTakeSets(): Promise<Figure[]> {
  const apiKey = "bench-key";
  // Tasks stay in flight: the measure is the answer, not the generation.
  const upstream = await startFakeProvider({ apiKey, timeline: { pendingMs: 1000, processingMs: 300_000 } });
  const app = await startApp({
    env: { VTRIX_API_KEY: apiKey, VTRIX_BASE_URL: upstream.url, ALLOW_INSECURE_RESULT_URLS: "1", LOG_LEVEL: "warn", MAX_QUEUED: "200" },
  });
  try {
    const upload = await fetch(`${app.url}/api/uploads`, {
      method: "POST",
      headers: { "Content-Type": "image/jpeg" },
      body: new Uint8Array(await drawPortrait()),
    });
    if (upload.status !== 201) throw new Error(`upload answered ${upload.status}`);
    const { id: uploadId } = (await upload.json()) as { id: string };
    const takes = Array.from({ length: TAKES }, (_, i) => ({ prompt: `The person smiles, take ${i + 1}.` }));
    // One of each first, not counted: the routes' first requests compile and warm caches.
    await timedPost(`${app.url}/api/generations`, { uploadId, prompt: "warm-up" });
    await timedPost(`${app.url}/api/takes`, { uploadId, takes });
    const single: number[] = [];
    const sets: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      single.push(await timedPost(`${app.url}/api/generations`, { uploadId, prompt: `single ${round}` }));
      sets.push(await timedPost(`${app.url}/api/takes`, { uploadId, takes }));
    }
    const value = median(sets);
    return [
      {
        id: "P11",
        what: `POST /api/takes answer, a set of ${TAKES} from an uploaded portrait (median of ${ROUNDS})`,
        value: Math.round(value * 10) / 10,
        unit: "ms",
        baseline: Math.round(median(single) * 10) / 10,
        baselineWhat: "one POST /api/generations from the same upload",
        target: `≤ ${TARGET_MS} ms`,
        met: value <= TARGET_MS,
      },
    ];
  } finally {
    await app.stop();
    await upstream.close();
  }
}
