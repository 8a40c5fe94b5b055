import { writeFile } from "node:fs/promises";
import path from "node:path";
import { startLoopbackFileServer } from "../loopback-file-server";
import type { Figure } from "../report";
import { sampleRss, rssBytes } from "../process-memory";
import { createGeneration, waitForFinal } from "../support/api";
import { startApp } from "../support/app-server";
import { drawPortrait, toDataUrl } from "../support/photos";

const CLIP_BYTES = 20 * 1024 * 1024;
const STREAMS = 50;

/** Reads a URL to the end in 1 MB ranges, as a player does; returns bytes read. */
async function streamInRanges(url: string): Promise<number> {
  let read = 0;
  for (let start = 0; start < CLIP_BYTES; start += 1024 * 1024) {
    const end = Math.min(CLIP_BYTES, start + 1024 * 1024) - 1;
    const response = await fetch(url, { headers: { Range: `bytes=${start}-${end}` } });
    read += (await response.arrayBuffer()).byteLength;
  }
  return read;
}

/** P5: 50 concurrent Range streams of a 20 MB clip vs one stream alone. */
export async function measureMediaStreams(): Promise<Figure[]> {
  const app = await startApp({ env: { DEMO_DURATION_MS: "500", LOG_LEVEL: "warn" } });
  try {
    const created = await createGeneration(app.url, { image: toDataUrl(await drawPortrait()) });
    const done = await waitForFinal(app.url, created.id);
    // Swap the demo clip for a 20 MB file: an MP4 header and filler is all the server sees.
    const clip = Buffer.alloc(CLIP_BYTES, 7);
    clip.write("\0\0\0\x18ftypisom", 0, "latin1");
    await writeFile(path.join(app.dataDir, "media", "videos", `${done.id}.mp4`), clip);
    const url = `${app.url}${done.videoUrl}`;
    await streamInRanges(url); // warm-up

    const rssIdle = rssBytes(app.pid);
    const singleSampler = sampleRss(app.pid);
    let started = performance.now();
    await streamInRanges(url);
    const singleSeconds = (performance.now() - started) / 1000;
    const singleGrowthMB = (singleSampler.stop() - rssIdle) / 1024 / 1024;
    const singleMBps = CLIP_BYTES / 1024 / 1024 / singleSeconds;

    const rssBefore = rssBytes(app.pid);
    const sampler = sampleRss(app.pid);
    started = performance.now();
    const totals = await Promise.all(Array.from({ length: STREAMS }, () => streamInRanges(url)));
    const manySeconds = (performance.now() - started) / 1000;
    const peak = sampler.stop();
    const bytes = totals.reduce((sum, value) => sum + value, 0);
    const aggregateMBps = bytes / 1024 / 1024 / manySeconds;
    const growthMB = (peak - rssBefore) / 1024 / 1024;

    const loopback = await startLoopbackFileServer(path.join(app.dataDir, "media", "videos", `${done.id}.mp4`));
    started = performance.now();
    await Promise.all(Array.from({ length: STREAMS }, () => streamInRanges(loopback.url)));
    const loopbackMBps = (STREAMS * CLIP_BYTES) / 1024 / 1024 / ((performance.now() - started) / 1000);
    await loopback.close();
    const ceiling = Math.min(singleMBps * STREAMS, loopbackMBps);

    return [
      {
        id: "P5",
        what: `RSS growth, ${STREAMS} concurrent Range streams of 20 MB`,
        value: growthMB,
        unit: "MB",
        baseline: singleGrowthMB,
        baselineWhat: `RSS growth of one stream alone (server at ${(rssBefore / 1024 / 1024).toFixed(0)} MB before)`,
        target: "≤ 64 MB",
        met: growthMB <= 64,
      },
      {
        id: "P5",
        what: `aggregate throughput, ${STREAMS} streams`,
        value: aggregateMBps,
        unit: "MB/s",
        baseline: ceiling,
        baselineWhat: `min(one stream ${singleMBps.toFixed(0)} MB/s × ${STREAMS}, bare node:http on loopback ${loopbackMBps.toFixed(0)} MB/s)`,
        target: "≥ 50% of baseline",
        met: aggregateMBps >= ceiling * 0.5,
      },
    ];
  } finally {
    await app.stop();
  }
}
