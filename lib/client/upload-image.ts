import { apiErrorBodySchema } from "@/lib/contracts/api-error";
import { uploadsPath } from "@/lib/contracts/paths";
import { uploadViewSchema, type UploadView } from "@/lib/contracts/upload";
import { ApiRequestError } from "./api-request-error";

export interface UploadProgress {
  loaded: number;
  total: number;
}

/**
 * `POST /api/uploads` with the image as the raw body.
 *
 * XMLHttpRequest rather than fetch: only XHR reports upload progress in every browser
 * (a fetch request body can be streamed only over HTTP/2 in Chromium, and not at all in
 * Safari or Firefox), and on a phone the progress is what the user sees while writing.
 * The signal aborts it (a changed framing makes the upload stale).
 */
export function uploadImage(image: Blob, options: { signal?: AbortSignal; onProgress?: (progress: UploadProgress) => void } = {}): Promise<UploadView> {
  const { signal, onProgress } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    const done = () => signal?.removeEventListener("abort", onAbort);
    signal?.addEventListener("abort", onAbort, { once: true });
    xhr.open("POST", uploadsPath);
    xhr.setRequestHeader("Content-Type", image.type || "image/jpeg");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.responseType = "text";
    xhr.upload.onprogress = (event) => onProgress?.({ loaded: event.loaded, total: event.lengthComputable ? event.total : image.size });
    xhr.onabort = () => {
      done();
      reject(signal?.reason ?? new DOMException("The upload was cancelled.", "AbortError"));
    };
    xhr.onerror = xhr.ontimeout = () => {
      done();
      reject(new ApiRequestError("The upload could not reach the server.", 0, "network"));
    };
    xhr.onload = () => {
      done();
      const body: unknown = (() => {
        try {
          return JSON.parse(xhr.responseText);
        } catch {
          return null;
        }
      })();
      if (xhr.status >= 200 && xhr.status < 300) {
        const view = uploadViewSchema.safeParse(body);
        return view.success
          ? resolve(view.data)
          : reject(new ApiRequestError("The server's answer to the upload was not understood.", xhr.status, "bad_answer"));
      }
      const error = apiErrorBodySchema.safeParse(body);
      reject(
        error.success
          ? new ApiRequestError(error.data.error.message, xhr.status, error.data.error.code, error.data.error.field)
          : new ApiRequestError(`The server answered ${xhr.status} to the upload.`, xhr.status, "http_error"),
      );
    };
    xhr.send(image);
  });
}
