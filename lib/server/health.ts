import "server-only";
import type { Health } from "@/lib/contracts/generation";
import { env } from "@/lib/env";
import { mediaKindFor } from "@/lib/media/open-media-store";
import { storeKindFor } from "@/lib/store/open-store";
import { services } from "./services";

/**
 * What GET /api/health reports: the store and the media store each answer (or not), and
 * the whole is ok only when both do. When the services could not start, nothing is ok.
 */
export async function checkHealth(): Promise<Health> {
  const config = env();
  let mode: Health["mode"] = config.VTRIX_API_KEY ? "live" : "demo";
  let storeOk = false;
  let mediaOk = false;
  try {
    const app = await services();
    mode = app.mode;
    [storeOk, mediaOk] = await Promise.all([app.repository.ping().catch(() => false), app.media.ping()]);
  } catch {
    // services() failed to start: report not ok.
  }
  return {
    ok: storeOk && mediaOk,
    mode,
    store: { ok: storeOk, kind: storeKindFor(config) },
    media: { ok: mediaOk, kind: mediaKindFor(config) },
    upstream: { configured: mode === "live", baseUrl: config.VTRIX_BASE_URL },
  };
}
