import "server-only";
import pRetry, { AbortError } from "p-retry";
import { UpstreamError, type TaskSnapshot } from "@/lib/upstream/provider";
import { messageForHttpStatus } from "./error-messages";
import { postHoldingLastByte, SendRefused } from "./post-holding-last-byte";
import { reshapeTask } from "./transform";
import { CREATE_PATH, taskPath, unwrapTaskBody, wireTaskSchema, type WireCreateBody } from "./wire";

export interface VtrixApiConfig {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
}

/** Extra attempts for idempotent reads, the first after about this long. */
const READ_RETRIES = 2;
const READ_RETRY_MIN_DELAY_MS = 300;

type Method = "GET" | "POST";

/** Raw HTTP against the gateway: one private fetch, reshaped answers. */
export function createVtrixApi(config: VtrixApiConfig) {
  async function vtrixFetch(method: Method, path: string, body?: WireCreateBody, beforeSend?: () => Promise<void>): Promise<TaskSnapshot> {
    // A create that failed in an unknown way might still have started a paid task.
    const taskMayExistOnDoubt = method === "POST";
    const url = `${config.baseUrl}${path}`;
    const headers: Record<string, string> = { Authorization: `Bearer ${config.apiKey}`, Accept: "application/json" };
    const signal = AbortSignal.timeout(config.timeoutMs);
    let response: Response;
    try {
      response = body
        ? await postHoldingLastByte(url, {
            headers: { ...headers, "Content-Type": "application/json" },
            body: JSON.stringify(body),
            signal,
            beforeSend: beforeSend ?? (async () => undefined),
          })
        : await fetch(url, { method, headers, signal, redirect: "error" });
    } catch (error) {
      // The caller's own refusal (e.g. another instance holds the create): passed on as it is.
      if (error instanceof SendRefused) throw error.refusal;
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      throw new UpstreamError(
        timedOut ? "timeout" : "network",
        timedOut ? "The provider did not answer in time." : "The provider could not be reached.",
        // No connection was ever made, so nothing was sent; any other failure may come after sending.
        { taskMayExist: taskMayExistOnDoubt && !failedBeforeConnecting(error) },
      );
    }

    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw httpError(response, taskMayExistOnDoubt);
    }

    let json: unknown;
    try {
      json = await response.json();
    } catch {
      throw new UpstreamError("bad_response", "The provider sent an answer we could not read.", {
        httpStatus: response.status,
        taskMayExist: taskMayExistOnDoubt,
      });
    }
    const parsed = wireTaskSchema.safeParse(unwrapTaskBody(json));
    if (!parsed.success) {
      throw new UpstreamError("bad_response", "The provider sent an answer in an unexpected shape.", {
        httpStatus: response.status,
        taskMayExist: taskMayExistOnDoubt,
      });
    }
    return reshapeTask(parsed.data);
  }

  return {
    /** Never retried: a repeated create could start (and charge for) a second task. */
    createTask(body: WireCreateBody, beforeSend?: () => Promise<void>): Promise<TaskSnapshot> {
      return vtrixFetch("POST", CREATE_PATH, body, beforeSend);
    },

    /** Reads are safe to repeat: transient failures retry with exponential backoff and jitter. */
    getTask(taskId: string): Promise<TaskSnapshot> {
      return pRetry(
        async () => {
          try {
            return await vtrixFetch("GET", taskPath(taskId));
          } catch (error) {
            if (error instanceof UpstreamError && !error.transient) throw new AbortError(error);
            throw error;
          }
        },
        {
          retries: READ_RETRIES,
          minTimeout: READ_RETRY_MIN_DELAY_MS,
          factor: 2,
          randomize: true,
        },
      );
    },
  };
}

function httpError(response: Response, taskMayExistOnDoubt: boolean): UpstreamError {
  const status = response.status;
  const retryAfterSeconds = Number(response.headers.get("retry-after"));
  const retryAfterMs = Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0 ? retryAfterSeconds * 1000 : undefined;
  // A redirect is no answer to a create or a read; it cannot tell whether a task was made.
  if (status < 400) {
    return new UpstreamError("bad_response", "The provider sent an answer we could not read.", { httpStatus: status, taskMayExist: taskMayExistOnDoubt });
  }
  const kind =
    status === 401
      ? "unauthorized"
      : status === 403
        ? "forbidden"
        : status === 404
          ? "not_found"
          : status === 429
            ? "rate_limited"
            : status >= 500
              ? "server_error"
              : "rejected";
  return new UpstreamError(kind, messageForHttpStatus(status), {
    httpStatus: status,
    retryAfterMs,
    // 4xx answers mean the gateway refused the request before starting anything.
    taskMayExist: status >= 500 ? taskMayExistOnDoubt : false,
  });
}

/** Errors node:http (directly, or as undici's cause) reports when no connection was made: nothing reached the gateway. */
const NOT_CONNECTED_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

function failedBeforeConnecting(error: unknown): boolean {
  const codeOf = (value: unknown) => (typeof value === "object" && value !== null ? (value as { code?: unknown }).code : undefined);
  const code = codeOf(error) ?? codeOf(error instanceof Error ? error.cause : undefined);
  return typeof code === "string" && NOT_CONNECTED_CODES.has(code);
}
