import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createBodySchema, inspectFirstFrame, MODEL, promptProblem, type CreateParams, type ImageFacts } from "./protocol";
import { sampleVideoPath } from "./sample-video";

/**
 * A fake of the Vtrix gateway on loopback: it speaks the documented protocol (auth,
 * envelope, image rules, task lifecycle, CDN links that expire, callbacks) and fails
 * on demand the ways the real one is known to.
 */

export interface Faults {
  createHttpStatus?: { status: number; times: number };
  pollHttpStatus?: { status: number; times: number };
  createMalformedJson?: number;
  pollMalformedJson?: number;
  delayMs?: { create?: number; poll?: number };
  failNextTasks?: { code: number | string; times: number; errorShape?: "error_message" | "message" | "string" };
  outputShape?: "array" | "object";
  statusSpelling?: "standard" | "alternate";
  unknownStatus?: string;
  expireResults?: boolean;
  /** Result links the app must refuse: a non-http scheme, credentials in the link, or a redirect loop. */
  refusedResultLinks?: "ftp" | "credentials" | "redirect-loop";
  resultLinkTtlMs?: number;
  costAsNumber?: boolean;
  /** The cost reported for every task, in the gateway's own precision (it bills "0.2800"). */
  reportedCost?: string;
  callbackChallenge?: boolean;
  /**
   * The gateway makes the task (and sends its callbacks) but its answer to the create never
   * arrives: "drop" closes the connection unanswered, "late" answers after `lateMs`.
   */
  createAnswerLost?: { times: number; mode: "drop" | "late"; lateMs?: number };
}

export interface CreateRecord {
  taskId: string | null;
  /** When the request reached the gateway (ms since the epoch). */
  receivedAt: number;
  params: Omit<CreateParams, "first_frame_image">;
  image: ImageFacts | null;
}

export interface FakeStats {
  creates: { accepted: number; rejected: number; answersLost: number; requests: CreateRecord[] };
  polls: { total: number; byTask: Record<string, number> };
  cdn: { downloads: number; denied: number };
  callbacks: { sent: number; failed: number; challengeEchoed: number };
  authFailures: number;
  tasks: Array<{ id: string; status: string; createdAt: number; costUsd: string }>;
}

export interface FakeUpstream {
  url: string;
  apiKey: string;
  stats(): FakeStats;
  setFaults(faults: Partial<Faults>): void;
  resetFaults(): void;
  /** Forget tasks and counters as well as faults. */
  reset(): void;
  completeTask(id: string): void;
  failTask(id: string, code: number | string): void;
  close(): Promise<void>;
}

export interface FakeUpstreamOptions {
  apiKey?: string;
  port?: number;
  timeline?: { pendingMs: number; processingMs: number };
  cost?: string;
  /** The MP4 every completed task returns (default: the 6 s sample clip). */
  videoFile?: string;
}

interface Task {
  id: string;
  createdAt: number;
  pendingMs: number;
  processingMs: number;
  failure: { code: number | string; shape: "error_message" | "message" | "string" } | null;
  forced: "completed" | "failed" | null;
  callbackUrl: string | undefined;
  cost: string;
  timers: NodeJS.Timeout[];
}

type Phase = "pending" | "processing" | "completed" | "failed";

const emptyStats = (): FakeStats => ({
  creates: { accepted: 0, rejected: 0, answersLost: 0, requests: [] },
  polls: { total: 0, byTask: {} },
  cdn: { downloads: 0, denied: 0 },
  callbacks: { sent: 0, failed: 0, challengeEchoed: 0 },
  authFailures: 0,
  tasks: [],
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const apiKey = options.apiKey ?? "test-key-fake-upstream";
  const timeline = options.timeline ?? { pendingMs: 300, processingMs: 1200 };
  const cost = options.cost ?? "0.28";
  const signingSecret = randomBytes(16).toString("hex");
  const videoFile = options.videoFile ?? sampleVideoPath();
  const videoBytes = statSync(videoFile).size;
  const tasks = new Map<string, Task>();
  let faults: Faults = {};
  let stats = emptyStats();
  let baseUrl = "";

  const phaseOf = (task: Task): Phase => {
    if (task.forced) return task.forced;
    const elapsed = Date.now() - task.createdAt;
    if (elapsed < task.pendingMs) return "pending";
    if (elapsed < task.pendingMs + task.processingMs) return "processing";
    return task.failure ? "failed" : "completed";
  };

  const sign = (id: string, expires: number) => createHash("sha256").update(`${id}:${expires}:${signingSecret}`).digest("hex").slice(0, 24);

  function spelling(phase: Phase): string {
    // A status word nobody documented, for as long as the fault is on: the task never visibly ends.
    if (faults.unknownStatus) return faults.unknownStatus;
    if (faults.statusSpelling !== "alternate") return phase;
    return { pending: "in_queue", processing: "in_progress", completed: "done", failed: "failed" }[phase];
  }

  function taskJson(task: Task): Record<string, unknown> {
    const phase = phaseOf(task);
    const elapsed = Date.now() - task.createdAt - task.pendingMs;
    const body: Record<string, unknown> = {
      id: task.id,
      status: spelling(phase),
      model: MODEL,
      created_at: Math.floor(task.createdAt / 1000),
      output: null,
      usage: null,
      metadata: {},
      error: null,
    };
    if (faults.statusSpelling !== "alternate") {
      body.progress =
        phase === "pending" ? 0 : phase === "processing" ? Math.min(0.99, Math.max(0, elapsed / task.processingMs)) : phase === "completed" ? 1 : null;
    }
    if (phase === "completed" && !faults.unknownStatus) {
      const expires = Date.now() + (faults.resultLinkTtlMs ?? 10 * 60_000);
      const link = `${baseUrl}/cdn/${task.id}.mp4?expires=${expires}&sig=${sign(task.id, expires)}`;
      const refused = faults.refusedResultLinks;
      const url =
        refused === "ftp"
          ? link.replace(/^http:/, "ftp:")
          : refused === "credentials"
            ? link.replace("://", "://user:secret@")
            : refused === "redirect-loop"
              ? `${baseUrl}/cdn-loop/${task.id}`
              : link;
      const content = [{ type: "video", url }];
      body.output = faults.outputShape === "object" ? { content } : [{ content }];
      const billed = faults.reportedCost ?? task.cost;
      body.usage = { cost: faults.costAsNumber ? Number(billed) : billed, discount: 0 };
    }
    if (phase === "failed") {
      const failure = task.failure ?? { code: 10006095, shape: "error_message" as const };
      body.error =
        failure.shape === "string" ? "generation rejected by content moderation" : { code: failure.code, [failure.shape]: "upstream generation failed" };
    }
    return body;
  }

  async function notify(task: Task, payload: unknown): Promise<unknown> {
    if (!task.callbackUrl) return undefined;
    try {
      const response = await fetch(task.callbackUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(3000),
      });
      stats.callbacks.sent++;
      return await response.json().catch(() => undefined);
    } catch {
      stats.callbacks.failed++;
      return undefined;
    }
  }

  function scheduleCallbacks(task: Task) {
    if (!task.callbackUrl) return;
    const at = (ms: number) => task.timers.push(setTimeout(() => void notify(task, taskJson(task)), ms));
    at(task.pendingMs + 5);
    at(task.pendingMs + task.processingMs + 5);
  }

  function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    response.writeHead(status, { "Content-Type": "application/json", ...headers });
    response.end(JSON.stringify(body));
  }

  const gatewayError = (response: ServerResponse, status: number) =>
    json(response, status, { error: { code: String(status), message: `fake gateway answered ${status}` } }, status === 429 ? { "Retry-After": "1" } : {});

  function takeHttpFault(kind: "createHttpStatus" | "pollHttpStatus"): number | null {
    const fault = faults[kind];
    if (!fault || fault.times <= 0) return null;
    fault.times--;
    return fault.status;
  }

  function takeCount(kind: "createMalformedJson" | "pollMalformedJson"): boolean {
    const left = faults[kind] ?? 0;
    if (left <= 0) return false;
    faults[kind] = left - 1;
    return true;
  }

  function authorised(request: IncomingMessage): boolean {
    const ok = request.headers.authorization === `Bearer ${apiKey}`;
    if (!ok) stats.authFailures++;
    return ok;
  }

  async function readBody(request: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  function takeLostAnswer(): { mode: "drop" | "late"; lateMs: number } | null {
    const fault = faults.createAnswerLost;
    if (!fault || fault.times <= 0) return null;
    fault.times--;
    return { mode: fault.mode, lateMs: fault.lateMs ?? 60_000 };
  }

  async function handleCreate(request: IncomingMessage, response: ServerResponse) {
    const receivedAt = Date.now();
    const reject = (message: string, params: CreateRecord["params"] = {}) => {
      stats.creates.rejected++;
      stats.creates.requests.push({ taskId: null, receivedAt, params, image: null });
      json(response, 400, { error: { code: "invalid_params", message } });
    };
    const raw = await readBody(request);
    if (!authorised(request)) return json(response, 401, { error: { code: "unauthorized", message: "Invalid or missing API key" } });
    if (faults.delayMs?.create) await sleep(faults.delayMs.create);
    const status = takeHttpFault("createHttpStatus");
    if (status) {
      stats.creates.rejected++;
      return gatewayError(response, status);
    }
    let parsedJson: unknown;
    try {
      parsedJson = JSON.parse(raw);
    } catch {
      return reject("body is not valid JSON");
    }
    const parsed = createBodySchema.safeParse(parsedJson);
    if (!parsed.success) return reject(parsed.error.issues[0]?.message ?? "invalid body");
    const { first_frame_image: image, ...params } = parsed.data.input[0]?.params ?? { first_frame_image: "" };
    const facts = await inspectFirstFrame(image);
    if (typeof facts === "string") return reject(facts, params);
    const promptError = promptProblem(params.prompt);
    if (promptError) return reject(promptError, params);

    const failNext = faults.failNextTasks && faults.failNextTasks.times > 0 ? faults.failNextTasks : null;
    if (failNext) failNext.times--;
    const task: Task = {
      id: `task_${randomUUID()}`,
      createdAt: Date.now(),
      pendingMs: timeline.pendingMs,
      processingMs: timeline.processingMs,
      failure: failNext ? { code: failNext.code, shape: failNext.errorShape ?? "error_message" } : null,
      forced: null,
      callbackUrl: params.callback_url,
      cost,
      timers: [],
    };
    tasks.set(task.id, task);
    stats.creates.accepted++;
    stats.creates.requests.push({ taskId: task.id, receivedAt, params, image: facts });
    if (faults.callbackChallenge && task.callbackUrl) {
      const challenge = randomBytes(8).toString("hex");
      const answer = (await notify(task, { challenge })) as { challenge?: string } | undefined;
      if (answer?.challenge === challenge) stats.callbacks.challengeEchoed++;
    }
    scheduleCallbacks(task);
    const lost = takeLostAnswer();
    if (lost) {
      stats.creates.answersLost++;
      // The task exists and is billed; only the answer goes missing.
      if (lost.mode === "drop") return void request.socket.destroy();
      await sleep(lost.lateMs);
      if (request.socket.destroyed) return;
    }
    if (takeCount("createMalformedJson")) {
      response.writeHead(200, { "Content-Type": "application/json" });
      return response.end('{"id": "' + task.id + '", "status": ');
    }
    json(response, 200, taskJson(task));
  }

  async function handlePoll(request: IncomingMessage, response: ServerResponse, id: string) {
    if (!authorised(request)) return json(response, 401, { error: { code: "unauthorized", message: "Invalid or missing API key" } });
    stats.polls.total++;
    stats.polls.byTask[id] = (stats.polls.byTask[id] ?? 0) + 1;
    if (faults.delayMs?.poll) await sleep(faults.delayMs.poll);
    const status = takeHttpFault("pollHttpStatus");
    if (status) return gatewayError(response, status);
    const task = tasks.get(id);
    if (!task) return json(response, 404, { error: { code: "not_found", message: "task not found" } });
    if (takeCount("pollMalformedJson")) {
      response.writeHead(200, { "Content-Type": "application/json" });
      return response.end("<html>502 Bad Gateway</html>");
    }
    json(response, 200, taskJson(task));
  }

  function handleCdn(response: ServerResponse, url: URL) {
    const id = /^\/cdn\/(.+)\.mp4$/.exec(url.pathname)?.[1] ?? "";
    const expires = Number(url.searchParams.get("expires"));
    const valid = tasks.has(id) && url.searchParams.get("sig") === sign(id, expires) && Date.now() < expires;
    if (!valid || faults.expireResults) {
      stats.cdn.denied++;
      response.writeHead(403, { "Content-Type": "application/xml" });
      return response.end("<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>");
    }
    stats.cdn.downloads++;
    response.writeHead(200, { "Content-Type": "video/mp4", "Content-Length": String(videoBytes) });
    createReadStream(videoFile).pipe(response);
  }

  async function handleControl(request: IncomingMessage, response: ServerResponse, url: URL) {
    const body = request.method === "POST" ? await readBody(request) : "";
    const taskAction = /^\/__control\/tasks\/([^/]+)\/(complete|fail)$/.exec(url.pathname);
    if (url.pathname === "/__control/stats") return json(response, 200, api.stats());
    if (url.pathname === "/__control/faults") {
      api.setFaults(JSON.parse(body || "{}") as Partial<Faults>);
      return json(response, 200, { ok: true });
    }
    if (url.pathname === "/__control/reset") {
      api.reset();
      return json(response, 200, { ok: true });
    }
    if (taskAction?.[1] && taskAction[2] === "complete") {
      api.completeTask(decodeURIComponent(taskAction[1]));
      return json(response, 200, { ok: true });
    }
    if (taskAction?.[1] && taskAction[2] === "fail") {
      const { code = 10006095 } = JSON.parse(body || "{}") as { code?: number | string };
      api.failTask(decodeURIComponent(taskAction[1]), code);
      return json(response, 200, { ok: true });
    }
    json(response, 404, { error: "unknown control route" });
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://fake");
    const route = async () => {
      if (request.method === "POST" && url.pathname === "/model/v1/generation") return handleCreate(request, response);
      const poll = /^\/model\/v1\/generation\/task\/([^/]+)$/.exec(url.pathname);
      if (request.method === "GET" && poll?.[1]) return handlePoll(request, response, decodeURIComponent(poll[1]));
      if (request.method === "GET" && url.pathname.startsWith("/cdn/")) return handleCdn(response, url);
      if (request.method === "GET" && url.pathname.startsWith("/cdn-loop/")) {
        stats.cdn.denied++;
        response.writeHead(302, { Location: url.pathname });
        return response.end();
      }
      if (url.pathname.startsWith("/__control/")) return handleControl(request, response, url);
      json(response, 404, { error: { code: "not_found", message: "no such route" } });
    };
    route().catch(() => {
      if (!response.headersSent) json(response, 500, { error: { code: "fake_error", message: "fake upstream failed" } });
      else response.destroy();
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

  const settle = (id: string, outcome: "completed" | "failed", failure: Task["failure"]) => {
    const task = tasks.get(id);
    if (!task) throw new Error(`no task ${id}`);
    task.forced = outcome;
    task.failure = failure;
    void notify(task, taskJson(task));
  };

  const api: FakeUpstream = {
    url: baseUrl,
    apiKey,
    stats: () => ({
      ...structuredClone(stats),
      tasks: [...tasks.values()].map((task) => ({ id: task.id, status: phaseOf(task), createdAt: task.createdAt, costUsd: task.cost })),
    }),
    setFaults(next) {
      faults = { ...faults, ...structuredClone(next) };
    },
    resetFaults() {
      faults = {};
    },
    reset() {
      faults = {};
      stats = emptyStats();
      for (const task of tasks.values()) task.timers.forEach(clearTimeout);
      tasks.clear();
    },
    completeTask: (id) => settle(id, "completed", null),
    failTask: (id, code) => settle(id, "failed", { code, shape: "error_message" }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const task of tasks.values()) task.timers.forEach(clearTimeout);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return api;
}
