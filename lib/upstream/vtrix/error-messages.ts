/** Human messages for the gateway's documented task error codes and HTTP statuses. */

const TASK_ERROR_MESSAGES: Record<string, string> = {
  "10006095": "The provider hit an internal error while generating the video. Trying again usually works.",
  "10006096": "The provider could not read back the generated result. Trying again usually works.",
  "10006097": "The provider received an error response from the model service. Try again in a few minutes.",
  "10006098": "The provider could not check the task's status. Try again in a few minutes.",
  "10006099": "The provider could not create the task. Check the image and prompt, then try again.",
};

/** Codes arrive as 10006095, "10006095" or "010006095": compare without leading zeros. */
export function normaliseErrorCode(code: unknown): string {
  const text = String(code ?? "").trim();
  return /^\d+$/.test(text) ? text.replace(/^0+(?=\d)/, "") : text;
}

export function messageForTaskError(code: string, providerMessage: string | null): string {
  const known = TASK_ERROR_MESSAGES[normaliseErrorCode(code)];
  if (known) return known;
  return providerMessage ? `The provider could not generate the video: ${providerMessage}` : "The provider could not generate the video.";
}

export function messageForHttpStatus(status: number): string {
  if (status === 401) return "The Vtrix API key is missing or invalid. Check VTRIX_API_KEY on the server.";
  if (status === 403) return "The Vtrix account has insufficient balance or lacks permission for this model.";
  if (status === 429) return "The provider's rate limit was reached. Please wait a moment and try again.";
  if (status === 404) return "The provider does not know this task (it may be older than 7 days).";
  if (status >= 500) return "The provider is having trouble right now. Please try again shortly.";
  return `The provider refused the request (HTTP ${status}).`;
}
