import "server-only";
import { env } from "@/lib/env";
import type { AppMode } from "@/lib/contracts/video-spec";

/** Without an API key the app runs the built-in demo provider. */
export function appMode(): AppMode {
  return env().VTRIX_API_KEY ? "live" : "demo";
}
