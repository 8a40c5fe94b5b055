import "server-only";
import { env } from "@/lib/env";

export type AppMode = "live" | "demo";

/** Without an API key the app runs the built-in demo provider. */
export function appMode(): AppMode {
  return env().VTRIX_API_KEY ? "live" : "demo";
}
