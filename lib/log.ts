import "server-only";
import pino, { type Logger } from "pino";
import { env } from "@/lib/env";

/**
 * Structured logs. Secrets are redacted by path, and as a second line of defence every
 * configured secret (API key, database password, S3 secret key) is masked wherever it appears.
 */
const REDACTED = "[redacted]";

function maskSecrets(value: unknown, secrets: string[]): unknown {
  if (secrets.length === 0) return value;
  if (typeof value === "string") return secrets.reduce((text, secret) => text.split(secret).join(REDACTED), value);
  if (value instanceof Error) {
    // Error fields are not enumerable: copy the useful ones so they survive masking.
    return { type: value.name, message: maskSecrets(value.message, secrets), stack: maskSecrets(value.stack, secrets) };
  }
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item, secrets));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v, secrets)]));
  }
  return value;
}

/** A URL's password, as it would appear in a message (percent-decoded and not). */
function urlPassword(url: string | undefined): string[] {
  if (!url) return [];
  const { password } = new URL(url);
  return password ? [password, decodeURIComponent(password)] : [];
}

function createLogger(): Logger {
  const { LOG_LEVEL, VTRIX_API_KEY, DATABASE_URL, S3_SECRET_ACCESS_KEY } = env();
  const secrets = [...new Set([VTRIX_API_KEY, ...urlPassword(DATABASE_URL), S3_SECRET_ACCESS_KEY])].filter((secret): secret is string => !!secret);
  return pino({
    level: LOG_LEVEL,
    base: { app: "portrait-live" },
    redact: {
      paths: [
        "authorization",
        "headers.authorization",
        "*.authorization",
        "apiKey",
        "*.apiKey",
        "callbackSecret",
        "*.callbackSecret",
        "secretAccessKey",
        "*.secretAccessKey",
      ],
      censor: REDACTED,
    },
    hooks: {
      logMethod(args, method) {
        method.apply(this, maskSecrets(args, secrets) as typeof args);
      },
    },
  });
}

const globalForLog = globalThis as unknown as { portraitLiveLogger?: Logger };

export function log(): Logger {
  globalForLog.portraitLiveLogger ??= createLogger();
  return globalForLog.portraitLiveLogger;
}
