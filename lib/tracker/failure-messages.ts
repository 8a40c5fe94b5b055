import type { UpstreamFailureKind } from "@/lib/upstream/provider";
import { formatDuration } from "@/lib/contracts/format-duration";

/** The code written for a provider call that failed, by the kind of failure. */
export const UPSTREAM_FAILURE_CODES = {
  unauthorized: "upstream_unauthorized",
  forbidden: "upstream_forbidden",
  rate_limited: "upstream_rate_limited",
  rejected: "upstream_rejected",
  not_found: "upstream_not_found",
  server_error: "upstream_server_error",
  timeout: "upstream_timeout",
  network: "upstream_network",
  bad_response: "upstream_bad_response",
  result_expired: "upstream_result_expired",
  result_invalid: "upstream_result_invalid",
} as const satisfies { [K in UpstreamFailureKind]: `upstream_${K}` };

/** The provider module's own words for the failure; an unconfirmed create adds what it means for the bill. */
const upstream = ({ userMessage, unconfirmed = false }: { userMessage: string; unconfirmed?: boolean }) =>
  unconfirmed ? `${userMessage} The request was not repeated, so you are not charged twice; check your provider dashboard before retrying.` : userMessage;

/**
 * Every code the tracker writes on a generation, with the words people see. Final
 * failures sit next to the two notices shown while a generation waits (errorCode on an
 * unfinished generation). A task the provider itself failed keeps the provider's code and
 * words (its snapshot's error), or `provider_error` when it gave none.
 */
export const TRACKER_MESSAGES = {
  deadline_exceeded: ({ deadlineMs, result }: { deadlineMs: number; result: "none" | "not_saved" | "storage_full" }) =>
    result === "none"
      ? `The provider did not finish the video within ${formatDuration(deadlineMs)}.`
      : result === "storage_full"
        ? "The video finished at the provider but could not be saved in time: this server's storage stayed full."
        : "The video finished at the provider but could not be saved in time.",
  provider_error: () => "The provider could not generate the video.",
  submit_interrupted: () => "The server restarted while sending this generation to the provider. Check your provider dashboard before retrying.",
  submit_unconfirmed: ({ deadlineMs }: { deadlineMs: number }) => {
    const minutes = Math.max(1, Math.round(deadlineMs / 60_000));
    return `The provider never confirmed this generation: its answer was lost and no notification named the task within ${minutes} minute${minutes === 1 ? "" : "s"}. It was not sent again, so you are not charged twice; check your provider dashboard before retrying.`;
  },
  result_refused: ({ reason }: { reason: string }) => `${reason} The video was not saved.`,
  result_expired: () => "The provider's link to the finished video had expired, and the fresh link it gave did not work either. The video was not saved.",
  result_download_failed: ({ attempts }: { attempts: number }) => `The finished video could not be downloaded from the provider after ${attempts} attempts.`,
  result_invalid: () => "The provider's result is not a playable MP4 video.",
  result_too_large: () => "The provider's video is larger than this server accepts.",
  upstream_unauthorized: upstream,
  upstream_forbidden: upstream,
  upstream_rate_limited: upstream,
  upstream_rejected: upstream,
  upstream_not_found: upstream,
  upstream_server_error: upstream,
  upstream_timeout: upstream,
  upstream_network: upstream,
  upstream_bad_response: upstream,
  upstream_result_expired: upstream,
  upstream_result_invalid: upstream,
  /** Notices: the generation is still unfinished and will go on by itself. */
  result_download_retrying: () => "The finished video could not be downloaded yet; trying again shortly.",
  storage_full: () => "This server's storage is full, so the finished video cannot be saved yet. It will be saved once space is freed.",
} as const;

export type TrackerCode = keyof typeof TRACKER_MESSAGES;
export type NoticeCode = "result_download_retrying" | "storage_full";
export type FailureCode = Exclude<TrackerCode, NoticeCode>;

type MessageArgs<C extends TrackerCode> = Parameters<(typeof TRACKER_MESSAGES)[C]>;

/** A code with its words, e.g. `failure("result_download_failed", { attempts: 8 })`. */
export function failure<C extends FailureCode>(code: C, ...args: MessageArgs<C>): { code: C; message: string } {
  const message = (TRACKER_MESSAGES[code] as (...given: MessageArgs<C>) => string)(...args);
  return { code, message };
}

export function notice<C extends NoticeCode>(code: C): { code: C; message: string } {
  return { code, message: TRACKER_MESSAGES[code]() };
}

export const upstreamFailure = (kind: UpstreamFailureKind, details: { userMessage: string; unconfirmed?: boolean }) =>
  failure(UPSTREAM_FAILURE_CODES[kind], details);
