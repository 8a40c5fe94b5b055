import "server-only";
import pino, { type Logger } from "pino";
import { env } from "@/lib/env";

/**
 * Structured logs. Secrets are redacted by path, and as a second line of defence any
 * string equal to the API key is masked wherever it appears.
 */
const REDACTED = "[redacted]";

function maskKey(value: unknown, key: string | undefined): unknown {
  if (!key) return value;
  if (typeof value === "string") return value.split(key).join(REDACTED);
  if (value instanceof Error) {
    // Error fields are not enumerable: copy the useful ones so they survive masking.
    return { type: value.name, message: maskKey(value.message, key), stack: maskKey(value.stack, key) };
  }
  if (Array.isArray(value)) return value.map((item) => maskKey(item, key));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskKey(v, key)]));
  }
  return value;
}

function createLogger(): Logger {
  const { LOG_LEVEL, VTRIX_API_KEY } = env();
  return pino({
    level: LOG_LEVEL,
    base: { app: "portrait-live" },
    redact: {
      paths: ["authorization", "headers.authorization", "*.authorization", "apiKey", "*.apiKey", "callbackSecret", "*.callbackSecret"],
      censor: REDACTED,
    },
    hooks: {
      logMethod(args, method) {
        method.apply(this, maskKey(args, VTRIX_API_KEY) as typeof args);
      },
    },
  });
}

const globalForLog = globalThis as unknown as { portraitLiveLogger?: Logger };

export function log(): Logger {
  globalForLog.portraitLiveLogger ??= createLogger();
  return globalForLog.portraitLiveLogger;
}
