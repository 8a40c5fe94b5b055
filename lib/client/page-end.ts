import { ApiRequestError } from "./api-request-error";

/** Why a page about one video or take set can show it no more: it is gone, or so is the session. */
export type EndReason = "deleted" | "signed-out";

/** A 404 or 401 will not change by asking again: the page ends. Anything else is the page's usual error. */
export function endReasonOf(error: unknown): EndReason | null {
  if (!(error instanceof ApiRequestError)) return null;
  if (error.status === 404) return "deleted";
  if (error.status === 401) return "signed-out";
  return null;
}

/** Worth retrying: no answer at all, or the server's own trouble. A refusal or a malformed answer stays one. */
export function mayPass(error: unknown): boolean {
  return error instanceof ApiRequestError && (error.status === 0 || error.status >= 500);
}
