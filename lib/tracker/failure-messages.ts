import { formatDuration } from "./format-duration";

/**
 * Every code the tracker writes on a generation, with the words people see. Codes of
 * final failures sit next to the notices shown while a generation waits (errorCode on an
 * unfinished generation).
 */
export const TRACKER_MESSAGES = {
  deadline_exceeded: (deadlineMs: number) => `The provider did not finish the video within ${formatDuration(deadlineMs)}.`,
  result_not_saved: "The video finished at the provider but could not be saved in time.",
  result_not_saved_storage_full: "The video finished at the provider but could not be saved in time: this server's storage stayed full.",
  result_refused: (reason: string) => `${reason} The video was not saved.`,
  result_expired: "The provider's link to the finished video had expired, and the fresh link it gave did not work either. The video was not saved.",
  result_download_failed: (attempts: number) => `The finished video could not be downloaded from the provider after ${attempts} attempts.`,
  result_invalid: "The provider's result is not a playable MP4 video.",
  result_too_large: "The provider's video is larger than this server accepts.",
  /** Notices: the generation is still unfinished and will go on by itself. */
  result_download_retrying: "The finished video could not be downloaded yet; trying again shortly.",
  storage_full: "This server's storage is full, so the finished video cannot be saved yet. It will be saved once space is freed.",
} as const;

export type TrackerMessageCode = keyof typeof TRACKER_MESSAGES;
