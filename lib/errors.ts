/**
 * The one error type that crosses from lib/ to HTTP. Its message is written for
 * people and never carries stack traces, upstream bodies or secrets.
 */
const API_ERROR_STATUS = {
  invalid_body: 400,
  invalid_param: 400,
  invalid_image: 422,
  image_type: 415,
  image_too_large: 413,
  image_too_small: 422,
  image_aspect: 422,
  body_too_large: 413,
  unsupported_media_type: 415,
  not_found: 404,
  upload_expired: 410,
  not_ready: 409,
  range_not_satisfiable: 416,
  forbidden: 403,
  unauthorized: 401,
  rate_limited: 429,
  budget_exceeded: 402,
  storage_unavailable: 503,
  storage_full: 507,
  internal: 500,
  not_implemented: 501,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

const API_ERROR_BRAND = Symbol.for("portrait-live.ApiError");

export class ApiError extends Error {
  readonly status: number;
  /** Whole seconds until a limit has room again, sent as Retry-After. */
  readonly retryAfterSeconds?: number;
  readonly [API_ERROR_BRAND] = true;

  /**
   * Next bundles instrumentation and each route separately, so the class an error was
   * built with may be another copy of this one: recognise it by its brand, not instanceof.
   */
  static is(error: unknown): error is ApiError {
    return typeof error === "object" && error !== null && API_ERROR_BRAND in error;
  }

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly field?: string,
    /** `cause`: what went wrong underneath, for the server's log only (a 5xx with a cause is logged). */
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.name = "ApiError";
    this.status = API_ERROR_STATUS[code];
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

export const notFound = (what = "generation") => new ApiError("not_found", `No such ${what}.`);

export const storageFull = () =>
  new ApiError("storage_full", "The server's storage is full, so nothing new can be stored. Try again once space has been freed.");

/** The media store failed for a reason other than space (unreachable, credentials refused, ...). */
export const storageUnavailable = (cause: unknown) =>
  new ApiError("storage_unavailable", "The server cannot reach its media storage right now. Please try again shortly.", undefined, { cause });
