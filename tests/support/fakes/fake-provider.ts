import type { CreateTaskRequest, GenerationProvider, ResultDownload, TaskSnapshot } from "@/lib/upstream/provider";

/**
 * A provider in memory: each create makes a queued task, the test moves tasks on with
 * `finish` / `fail`, and a notification names its task as `{ id }`. For unit tests of code
 * that talks to a GenerationProvider; the wire protocol is tested against tests/fake-upstream.
 */
export function createFakeProvider() {
  const tasks = new Map<string, TaskSnapshot>();
  const results = new Map<string, Buffer>();
  const creates: Array<Omit<CreateTaskRequest, "beforeSend">> = [];
  const snapshot = (taskId: string): TaskSnapshot => {
    const task = tasks.get(taskId);
    if (!task) throw new Error(`no such task ${taskId}`);
    return { ...task };
  };

  const provider: GenerationProvider & {
    creates: typeof creates;
    finish(taskId: string, video: Buffer, costUsd: string): void;
    fail(taskId: string, code: string, message: string): void;
  } = {
    mode: "live",
    async createTask(request) {
      await request.beforeSend?.();
      const { beforeSend: _beforeSend, ...sent } = request;
      creates.push(sent);
      const taskId = `task-${creates.length}`;
      tasks.set(taskId, {
        taskId,
        state: "queued",
        progress: null,
        videoUrl: null,
        costUsd: null,
        error: null,
        providerStatus: "pending",
        recognisedStatus: true,
      });
      return snapshot(taskId);
    },
    async getTask(taskId) {
      return snapshot(taskId);
    },
    async openResult(videoUrl): Promise<ResultDownload> {
      const video = results.get(videoUrl);
      if (!video) throw new Error(`not a result link of this provider: ${videoUrl}`);
      return { body: new Blob([new Uint8Array(video)]).stream(), contentLength: video.length };
    },
    taskIdFromNotification(body) {
      const id = typeof body === "object" && body !== null && "id" in body ? body.id : undefined;
      return typeof id === "string" && /^[\w-]{1,128}$/.test(id) ? id : null;
    },
    creates,
    finish(taskId, video, costUsd) {
      const videoUrl = `fake://results/${taskId}.mp4`;
      results.set(videoUrl, video);
      tasks.set(taskId, { ...snapshot(taskId), state: "succeeded", progress: 1, videoUrl, costUsd, providerStatus: "completed" });
    },
    fail(taskId, code, message) {
      tasks.set(taskId, { ...snapshot(taskId), state: "failed", error: { code, message }, providerStatus: "failed" });
    },
  };
  return provider;
}
