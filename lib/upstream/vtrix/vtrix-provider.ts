import "server-only";
import type { GenerationProvider } from "@/lib/upstream/provider";
import { openResultUrl, type ResultFetchPolicy } from "@/lib/upstream/open-result-url";
import { createVtrixApi, type VtrixApiConfig } from "./vtrix-api";
import { taskIdFromNotification } from "./notification";
import { toCreateBody } from "./transform";

export function createVtrixProvider(config: VtrixApiConfig & { results: ResultFetchPolicy }): GenerationProvider {
  const api = createVtrixApi(config);
  return {
    mode: "live",
    createTask: (request) => api.createTask(toCreateBody(request), request.beforeSend),
    getTask: (taskId) => api.getTask(taskId),
    openResult: (videoUrl) => openResultUrl(videoUrl, config.results),
    taskIdFromNotification,
  };
}
