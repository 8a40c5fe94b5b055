import "server-only";
import type { Health } from "@/lib/contracts/health";
import { env } from "@/lib/env";
import { describeFfmpeg } from "@/lib/media/derivatives/ffmpeg-in-use";
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
  let reachable = false;
  let room = false;
  try {
    const app = await services();
    mode = app.mode;
    [storeOk, reachable, room] = await Promise.all([app.repository.ping().catch(() => false), app.media.ping(), app.media.hasRoom()]);
  } catch {
    // services() failed to start: report not ok.
  }
  const mediaOk = reachable && room;
  return {
    ok: storeOk && mediaOk,
    mode,
    store: { ok: storeOk, kind: storeKindFor(config) },
    media: { ok: mediaOk, kind: mediaKindFor(config), ...(mediaOk ? {} : { problem: reachable ? "low_space" : "unreachable" }) },
    upstream: { configured: mode === "live", baseUrl: config.VTRIX_BASE_URL },
    ffmpeg: await describeFfmpeg(config),
  };
}
