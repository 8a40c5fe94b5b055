import "server-only";
import type { Health } from "@/lib/contracts/generation";
import { env } from "@/lib/env";
import { services } from "./services";

/**
 * What GET /api/health reports: the store and the media store each answer (or not), and
 * the whole is ok only when both do. Before the services exist (start-up failed), the kinds
 * come from the configuration and nothing is ok.
 */
export async function checkHealth(): Promise<Health> {
  const config = env();
  let mode: Health["mode"] = config.VTRIX_API_KEY ? "live" : "demo";
  let store: Health["store"] = { ok: false, kind: config.DATABASE_URL ? "postgres" : "sqlite" };
  let media: Health["media"] = { ok: false, kind: config.S3_BUCKET ? "s3" : "local" };
  try {
    const app = await services();
    mode = app.mode;
    const [storeOk, mediaOk] = await Promise.all([app.repository.ping().catch(() => false), app.media.ping()]);
    store = { ok: storeOk, kind: app.storeKind };
    media = { ok: mediaOk, kind: app.mediaKind };
  } catch {
    // services() failed to start: report not ok with the configured kinds.
  }
  return {
    ok: store.ok && media.ok,
    mode,
    store,
    media,
    upstream: { configured: mode === "live", baseUrl: config.VTRIX_BASE_URL },
  };
}
