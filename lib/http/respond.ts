import "server-only";
import { ApiError } from "@/lib/errors";
import type { ApiErrorBody } from "@/lib/contracts/api-error";
import { log } from "@/lib/log";

export function errorResponse(error: ApiError, headers?: HeadersInit): Response {
  const body: ApiErrorBody = {
    error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
  };
  const answer = Response.json(body, { status: error.status, headers });
  if (error.retryAfterSeconds !== undefined) answer.headers.set("Retry-After", String(error.retryAfterSeconds));
  return answer;
}

/**
 * Wraps a route handler: ApiErrors become their JSON answer; anything else is logged
 * and answered with a generic 500 so no stack trace or upstream detail leaks.
 */
export function handle<Args extends unknown[]>(handler: (...args: Args) => Promise<Response>): (...args: Args) => Promise<Response> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (ApiError.is(error)) {
        // A server-side failure we could name for the user still needs the operator's attention.
        if (error.status >= 500 && error.cause !== undefined) log().error({ err: error.cause, code: error.code }, `${error.code}: ${error.message}`);
        return errorResponse(error);
      }
      log().error({ err: error }, "unhandled error in route handler");
      return errorResponse(new ApiError("internal", "Something went wrong on our side. Please try again."));
    }
  };
}
