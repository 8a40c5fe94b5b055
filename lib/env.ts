import proxyaddr from "proxy-addr";
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

const origin = z.url({ protocol: /^https?$/, error: "must be an absolute http(s) URL" }).transform((value) => value.replace(/\/+$/, ""));

const decimal = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$/, "must be a decimal amount such as 5 or 12.50");

/** Unset stays unset, so a default can depend on other variables. */
const optionalFlag = z
  .enum(["1", "0", "true", "false", ""], { error: "must be 1, 0, true or false" })
  .optional()
  .transform((value) => (value === undefined || value === "" ? undefined : value === "1" || value === "true"));

/** Where an S3-compatible service listens: scheme, host and port only (keys never go in a URL). */
const s3Endpoint = origin.refine(
  (value) => {
    const url = new URL(value);
    return url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
  },
  { error: "must be an http(s) origin such as https://s3.example.com:9000, without a path, query or credentials" },
);

/** AWS's bucket-name rule, with underscores allowed for older S3-compatible services. */
const s3Bucket = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, "must be a bucket name: 3 to 63 lowercase letters, digits, dots, hyphens or underscores");

/** Folders inside the bucket, stored with one trailing slash ("" for none). */
const s3Prefix = z
  .string()
  .trim()
  .transform((value) => value.replace(/^\/+|\/+$/g, ""))
  .refine((value) => value === "" || /^(?!\.{1,2}(\/|$))[A-Za-z0-9._-]+(\/(?!\.{1,2}(\/|$))[A-Za-z0-9._-]+)*$/.test(value), {
    error: "must be a key prefix such as portrait-live/ (letters, digits, . _ - separated by /)",
  })
  .transform((value) => (value === "" ? "" : `${value}/`));

/** A hop count, or addresses/CIDR ranges (and proxy-addr's names loopback, linklocal, uniquelocal). */
const trustedProxies = optionalString.refine(
  (value) => {
    if (value === undefined || /^\d+$/.test(value)) return true;
    try {
      proxyaddr.compile(
        value
          .split(",")
          .map((entry) => entry.trim())
          .filter(Boolean),
      );
      return true;
    } catch {
      return false;
    }
  },
  { error: "must be a number of proxies (e.g. 1) or addresses and CIDR ranges separated by commas (e.g. 10.0.0.0/8, loopback)" },
);

/** Host names only: IP literals and localhost are always accepted. */
const hostNames = optionalString.refine(
  (value) =>
    value === undefined ||
    value
      .split(",")
      .every(
        (entry) =>
          entry.trim() === "" ||
          /^(?=.{1,253}\.?$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/.test(entry.trim()),
      ),
  { error: "must be host names separated by commas, without scheme or port (e.g. clips.example.com, studio.lan)" },
);

export const envSchema = z
  .object({
    /** Absent → demo mode. Never logged, never sent to the browser. */
    VTRIX_API_KEY: optionalString,
    VTRIX_BASE_URL: origin.default("https://cloud.vtrix.ai"),
    DATA_DIR: z.string().trim().min(1).default("./data"),
    /** A Postgres connection URL: the store moves from the embedded SQLite file to this database. */
    DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// or postgresql:// URL" }).optional()),
    /** Connections each instance keeps for the store on DATABASE_URL (coordination opens up to 5 more). */
    DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(200).default(10),
    /** The app's public origin: enables callback_url and absolute share links. */
    PUBLIC_BASE_URL: optionalString.pipe(origin.optional()),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

    /** How often the tracker polls a task upstream (base interval; backs off on errors). */
    POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(600_000).default(5_000),
    /** A generation still unfinished after this long is failed. */
    GENERATION_DEADLINE_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .default(30 * 60_000),
    /**
     * Instances sharing a database: how long one that stopped (crashed, lost its network)
     * keeps its generations before another instance takes them over.
     */
    TRACKER_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
    /** Time limit for each upstream request. */
    UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
    /**
     * Local media: below this much free disk space (MB) the store counts as full: health is
     * not ok, creates answer 507 and finished videos wait to be saved.
     */
    MEDIA_MIN_FREE_MB: z.coerce.number().int().min(0).max(10_000_000).default(100),
    /** Largest result video we will download. */
    MAX_RESULT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(200 * 1024 * 1024),
    /** Tests only: let result downloads use http:// (the fake upstream's CDN runs on loopback). */
    ALLOW_INSECURE_RESULT_URLS: booleanFlag,
    /** When set, the studio, history and private API need a session (login with this password). */
    APP_PASSWORD: optionalString,
    /** Generation creates allowed per client and across all clients, per minute. */
    CREATE_LIMIT_PER_CLIENT_PER_MINUTE: z.coerce.number().int().min(1).default(6),
    CREATE_LIMIT_GLOBAL_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    /** Provider tasks running at once; more generations wait in the queue. */
    MAX_IN_FLIGHT: z.coerce.number().int().min(1).default(10),
    /** Generations that may wait for a free slot beyond MAX_IN_FLIGHT; 0 refuses them (429) instead. */
    MAX_QUEUED: z.coerce.number().int().min(0).max(10_000).default(50),
    /** Optional spending caps in USD (UTC day and month), from recorded costs plus an estimate for tasks in flight. */
    MAX_SPEND_USD_DAY: optionalString.pipe(decimal.optional()),
    MAX_SPEND_USD_MONTH: optionalString.pipe(decimal.optional()),
    /** What one generation is assumed to cost until the provider reports it. */
    COST_ESTIMATE_USD: decimal.default("0.30"),
    /** An upload no generation uses is deleted after this many hours (fractions allowed). */
    UPLOAD_TTL_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 365)
      .default(24),
    /** Uploads one client may send per minute (each is decoded: this bounds CPU as well). */
    UPLOAD_LIMIT_PER_CLIENT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    /** Uploads all clients together may send per minute. */
    UPLOAD_LIMIT_GLOBAL_PER_MINUTE: z.coerce.number().int().min(1).default(120),
    /** Room for uploads no generation uses yet, in MB: bounds what an upload flood can fill the disk with. */
    UPLOAD_UNUSED_MAX_MB: z.coerce.number().int().min(1).default(1024),
    /** Images decoded at once (uploads and image creates); more wait briefly, then get 429. */
    IMAGE_DECODE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
    /** Live-update (event) streams one client may hold open. */
    EVENT_STREAMS_PER_CLIENT: z.coerce.number().int().min(1).default(20),
    /** Live-update (event) streams open on this instance, all clients together. */
    EVENT_STREAMS_MAX: z.coerce.number().int().min(1).default(1000),
    /** Login attempts allowed per client per 15 minutes. */
    LOGIN_ATTEMPTS_PER_15_MIN: z.coerce.number().int().min(1).default(10),
    /** Wrong passwords from all clients per 15 minutes before sign-in pauses for addresses that never signed in. */
    LOGIN_ATTEMPTS_GLOBAL_PER_15_MIN: z.coerce.number().int().min(1).default(100),
    /** Proxies whose X-Forwarded-* headers are believed (scripts/server.mjs); unset: none. */
    TRUSTED_PROXIES: trustedProxies,
    /** Host names the app answers to besides PUBLIC_BASE_URL's (DNS-rebinding guard). */
    ALLOWED_HOSTS: hostNames,
    /** An ffmpeg to use instead of the one found on PATH (or, without one, the bundled 2018 build). */
    FFMPEG_PATH: optionalString,
    /** The ffprobe beside it; unset: found on PATH. Without one, results are probed with `ffmpeg -i`. */
    FFPROBE_PATH: optionalString,
    /** Wall-clock limit of one derived-media job (every ffmpeg run in it); past it ffmpeg is killed. */
    FFMPEG_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(120_000),
    /** Address-space ceiling of each ffmpeg run (MB); a run that needs more fails instead of growing. */
    FFMPEG_MEMORY_MB: z.coerce.number().int().min(256).max(65_536).default(1_024),
    /** Demo mode: how long the simulated generation takes. */
    DEMO_DURATION_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),

    /** Setting a bucket moves media from DATA_DIR/media to S3-compatible storage. */
    S3_BUCKET: optionalString.pipe(s3Bucket.optional()),
    /** For S3-compatible services (MinIO, R2, ...); unset means AWS S3 itself. */
    S3_ENDPOINT: optionalString.pipe(s3Endpoint.optional()),
    S3_REGION: optionalString.pipe(
      z
        .string()
        .regex(/^[a-z0-9-]{1,40}$/, "must be a region name such as us-east-1 or auto")
        .default("us-east-1"),
    ),
    /** Both or neither; neither means the AWS SDK's default credential chain (env, profile, instance role). */
    S3_ACCESS_KEY_ID: optionalString,
    /** Never logged, never sent to the browser. */
    S3_SECRET_ACCESS_KEY: optionalString,
    /** Bucket in the path rather than the host name; defaults to on when S3_ENDPOINT is set. */
    S3_FORCE_PATH_STYLE: optionalFlag,
    S3_PREFIX: optionalString.pipe(s3Prefix.default("")),
  })
  .superRefine((value, context) => {
    const pair = ["S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const;
    for (const [name, other] of [pair, [pair[1], pair[0]]] as const) {
      if (value[name] === undefined && value[other] !== undefined) {
        context.addIssue({
          code: "custom",
          path: [name],
          message: `must be set together with ${other} (or leave both unset to use the AWS default credential chain)`,
        });
      }
    }
    if (value.S3_BUCKET === undefined) {
      const stray = [
        ...(["S3_ENDPOINT", ...pair, "S3_FORCE_PATH_STYLE"] as const).filter((name) => value[name] !== undefined),
        ...(value.S3_PREFIX ? ["S3_PREFIX"] : []),
      ];
      if (stray.length > 0) {
        context.addIssue({ code: "custom", path: ["S3_BUCKET"], message: `must be set to use ${stray.join(", ")}` });
      }
    }
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
