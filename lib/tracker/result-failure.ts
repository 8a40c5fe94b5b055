import { isStorageFull } from "@/lib/media/storage-full";
import { MediaWriteError } from "@/lib/media/media-store";
import { UpstreamError } from "@/lib/upstream/provider";
import { failure, type FailureCode } from "./failure-messages";

/** What to do after storing a result failed. */
export type ResultFailure =
  /** Nothing will change by trying again: fail the generation now. */
  | { action: "fail"; code: FailureCode; message: string }
  /** The link expired: a re-read of the task may give a fresh one. */
  | { action: "refresh_link" }
  /** Our storage is full: wait (without counting it against the result) until space returns. */
  | { action: "wait_for_space" }
  /** Possibly passing (network, provider's CDN): try again later, a limited number of times. */
  | { action: "retry" };

export function classifyResultFailure(error: unknown): ResultFailure {
  if (isStorageFull(error)) return { action: "wait_for_space" };
  if (error instanceof MediaWriteError) {
    return { action: "fail", ...failure(error.reason === "too_large" ? "result_too_large" : "result_invalid") };
  }
  if (error instanceof UpstreamError) {
    if (error.kind === "result_expired") return { action: "refresh_link" };
    if (error.kind === "result_invalid") {
      // Refused by our own fetch rules (scheme, credentials, redirects, size, address): final.
      return { action: "fail", ...failure("result_refused", { reason: error.userMessage }) };
    }
  }
  return { action: "retry" };
}
