import { z } from "zod";

/**
 * Configuration, parsed once. Imported by next.config.ts so a wrong value stops
 * start-up (and the build) with a message naming the variable.
 */

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const booleanFlag = z
  .enum(["1", "0", "true", "false", ""])
  .optional()
  .transform((value) => value === "1" || value === "true");

const origin = z
  .url({ protocol: /^https?$/, error: "must be an absolute http(s) URL" })
  .transform((value) => value.replace(/\/+$/, ""));

const decimal = z.string().trim().regex(/^\d+(\.\d+)?$/, "must be a decimal amount such as 5 or 12.50");

export const envSchema = z.object({
  /** Absent → demo mode. Never logged, never sent to the browser. */
  VTRIX_API_KEY: optionalString,
  VTRIX_BASE_URL: origin.default("https://cloud.vtrix.ai"),
  DATA_DIR: z.string().trim().min(1).default("./data"),
  /** A Postgres connection URL: the store moves from the embedded SQLite file to this database. */
  DATABASE_URL: optionalString.pipe(
    z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// or postgresql:// URL" }).optional(),
  ),
  /** The app's public origin: enables callback_url and absolute share links. */
  PUBLIC_BASE_URL: optionalString.pipe(origin.optional()),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  /** How often the tracker polls a task upstream (base interval; backs off on errors). */
  POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(600_000).default(5_000),
  /** A generation still unfinished after this long is failed. */
  GENERATION_DEADLINE_MS: z.coerce.number().int().min(1_000).default(30 * 60_000),
  /**
   * Instances sharing a database: how long one that stopped (crashed, lost its network)
   * keeps its generations before another instance takes them over.
   */
  TRACKER_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  /** Time limit for each upstream request. */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  /** Largest result video we will download. */
  MAX_RESULT_BYTES: z.coerce.number().int().min(1024).default(200 * 1024 * 1024),
  /** Tests only: let result downloads use http:// (the fake upstream's CDN runs on loopback). */
  ALLOW_INSECURE_RESULT_URLS: booleanFlag,
  /** When set, the studio, history and private API need a session (login with this password). */
  APP_PASSWORD: optionalString,
  /** Generation creates allowed per client and across all clients, per minute. */
  CREATE_LIMIT_PER_CLIENT_PER_MINUTE: z.coerce.number().int().min(1).default(6),
  CREATE_LIMIT_GLOBAL_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** Generations queued or processing at once. */
  MAX_IN_FLIGHT: z.coerce.number().int().min(1).default(10),
  /** Optional spending caps in USD (UTC day and month), from recorded costs plus an estimate for tasks in flight. */
  MAX_SPEND_USD_DAY: optionalString.pipe(decimal.optional()),
  MAX_SPEND_USD_MONTH: optionalString.pipe(decimal.optional()),
  /** What one generation is assumed to cost until the provider reports it. */
  COST_ESTIMATE_USD: decimal.default("0.30"),
  /** Login attempts allowed per client per 15 minutes. */
  LOGIN_ATTEMPTS_PER_15_MIN: z.coerce.number().int().min(1).default(10),
  /** Demo mode: how long the simulated generation takes. */
  DEMO_DURATION_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(issues: z.core.$ZodIssue[]) {
    const lines = issues.map((issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`);
    super(`Invalid environment configuration:\n${lines.join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) throw new EnvError(result.error.issues);
  return result.data;
}

let cached: Env | undefined;

/** The process configuration, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}
