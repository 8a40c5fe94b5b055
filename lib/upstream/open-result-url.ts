import { UpstreamError, type ResultDownload } from "./provider";

export interface ResultFetchPolicy {
  timeoutMs: number;
  maxBytes: number;
  allowInsecure: boolean;
  maxRedirects?: number;
}

/**
 * Opens a result link the provider returned. https only (unless configured for tests),
 * no credentials sent, a bounded number of redirects each re-checked, and a time limit.
 */
export async function openResultUrl(rawUrl: string, policy: ResultFetchPolicy): Promise<ResultDownload> {
  const signal = AbortSignal.timeout(policy.timeoutMs);
  let url = checkUrl(rawUrl, policy);
  for (let redirects = 0; ; redirects++) {
    let response: Response;
    try {
      response = await fetch(url, { redirect: "manual", signal });
    } catch {
      throw new UpstreamError("network", "The finished video could not be downloaded from the provider.", {
        taskMayExist: true,
      });
    }
    if (response.status >= 300 && response.status < 400 && response.headers.get("location")) {
      await response.body?.cancel().catch(() => undefined);
      if (redirects >= (policy.maxRedirects ?? 3)) {
        throw new UpstreamError("result_invalid", "The provider's video link redirected too many times.", {
          taskMayExist: true,
        });
      }
      url = checkUrl(new URL(response.headers.get("location") ?? "", url).toString(), policy);
      continue;
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      const expired = [401, 403, 404, 410].includes(response.status);
      throw new UpstreamError(
        expired ? "result_expired" : "server_error",
        expired
          ? "The provider's video link has expired or was refused."
          : "The provider's video link answered with an error.",
        { httpStatus: response.status, taskMayExist: true },
      );
    }
    const declared = Number(response.headers.get("content-length"));
    const contentLength = Number.isFinite(declared) && declared > 0 ? declared : null;
    if (contentLength !== null && contentLength > policy.maxBytes) {
      await response.body.cancel().catch(() => undefined);
      throw new UpstreamError("result_invalid", "The provider's video is larger than we accept.", {
        taskMayExist: true,
      });
    }
    return { body: response.body, contentLength };
  }
}

function checkUrl(raw: string, policy: ResultFetchPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UpstreamError("result_invalid", "The provider sent an invalid video link.", { taskMayExist: true });
  }
  const allowed = url.protocol === "https:" || (policy.allowInsecure && url.protocol === "http:");
  if (!allowed || url.username || url.password) {
    throw new UpstreamError("result_invalid", "The provider sent a video link we will not follow.", {
      taskMayExist: true,
    });
  }
  return url;
}
