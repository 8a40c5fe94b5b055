import { startFakeUpstream } from "./fake-upstream";

/** Runs the fake gateway as its own process (Playwright's webServer, benchmarks). */
const port = Number(process.env.FAKE_UPSTREAM_PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error("FAKE_UPSTREAM_PORT must be set to a port number");
  process.exit(1);
}
const upstream = await startFakeUpstream({
  port,
  apiKey: process.env.FAKE_UPSTREAM_API_KEY,
  timeline: {
    pendingMs: Number(process.env.FAKE_UPSTREAM_PENDING_MS ?? 1000),
    processingMs: Number(process.env.FAKE_UPSTREAM_PROCESSING_MS ?? 4000),
  },
  videoFile: process.env.FAKE_UPSTREAM_VIDEO_FILE || undefined,
});
console.log(`fake upstream listening on ${upstream.url}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => void upstream.close().then(() => process.exit(0)));
}
