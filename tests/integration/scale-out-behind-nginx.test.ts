import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GenerationView } from "@/lib/contracts/generation";
import { startFakeUpstream, type FakeUpstream } from "../fake-upstream/fake-upstream";
import { getGeneration, waitFor } from "../support/api";
import { freePort, newDataDir, startApp, type AppServer } from "../support/app-server";
import { startNginx, type Nginx } from "../support/nginx";
import { makePortrait } from "../support/portraits";
import { startPostgres, type PostgresServer } from "../support/postgres-server";
import { startS3Server, type S3Server } from "../support/s3-server";
import { createUpload } from "../support/upload-api";

const API_KEY = "vtx-behind-nginx-secret-51d0";
const INSTANCES = 3;
let postgres: PostgresServer;
let s3: S3Server;
let upstream: FakeUpstream;
let portrait: Buffer;
let clusters = 0;
const running: Array<{ stop(): Promise<void> }> = [];

interface Cluster {
  nginx: Nginx;
  apps: AppServer[];
}

/** Three instances of the built app on one fresh database and the shared bucket, behind the reference nginx. */
async function cluster(env: Record<string, string>): Promise<Cluster> {
  clusters += 1;
  const [databaseUrl, nginxPort, ...ports] = await Promise.all([
    postgres.createDatabase(`behind_nginx_${clusters}`),
    freePort(),
    ...Array.from({ length: INSTANCES }, () => freePort()),
  ]);
  const publicBaseUrl = `http://127.0.0.1:${nginxPort}`;
  const nginx = await startNginx({ instances: ports.map((port) => `127.0.0.1:${port}`), port: nginxPort });
  running.push(nginx);
  // One first, so the others start on a migrated schema, as a rolling deploy would.
  const start = (port: number) =>
    startApp({
      port,
      dataDir: newDataDir(),
      env: {
        VTRIX_API_KEY: API_KEY,
        VTRIX_BASE_URL: upstream.url,
        ALLOW_INSECURE_RESULT_URLS: "1",
        PUBLIC_BASE_URL: publicBaseUrl,
        TRUSTED_PROXIES: "loopback",
        DATABASE_URL: databaseUrl,
        S3_BUCKET: s3.bucket,
        S3_ENDPOINT: s3.endpoint,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        S3_PREFIX: `cluster-${clusters}/`,
        ...env,
      },
    });
  const first = await start(ports[0]!);
  const apps = [first, ...(await Promise.all(ports.slice(1).map(start)))];
  running.push(...apps);
  return { nginx, apps };
}

async function stopCluster({ nginx, apps }: Cluster) {
  await Promise.all(apps.map((app) => app.stop()));
  await nginx.stop();
}

const post = (url: string, uploadId: string, prompt: string) =>
  fetch(`${url}/api/generations`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: url },
    body: JSON.stringify({ uploadId, prompt }),
  });

/** Sends `count` creates at once through nginx; returns how many were admitted, after checking every refusal is the expected clean one. */
async function burst(url: string, count: number, label: string, refusal: 402 | 429 = 429): Promise<number> {
  // From one upload, as the studio sends them: the burst is about admission, not about how
  // many photos an instance decodes at once (bounded on its own, answering 429 past it).
  const { id } = await createUpload(url, portrait);
  const answers = await Promise.all(Array.from({ length: count }, (_, i) => post(url, id, `${label} ${i}`)));
  const statuses = answers.map((answer) => answer.status);
  for (const status of statuses) expect([201, refusal]).toContain(status);
  return statuses.filter((status) => status === 201).length;
}

const tasksFor = (label: string) => upstream.stats().creates.requests.filter((request) => (request.params.prompt ?? "").startsWith(`${label} `));

beforeAll(async () => {
  [postgres, s3] = await Promise.all([startPostgres(), startS3Server()]);
  upstream = await startFakeUpstream({ apiKey: API_KEY, timeline: { pendingMs: 200, processingMs: 20_000 } });
  portrait = await makePortrait();
}, 120_000);

afterAll(async () => {
  for (const server of running.reverse()) await server.stop();
  await upstream?.close();
  await Promise.all([postgres?.stop(), s3?.stop()]);
});

describe("three instances behind nginx share their limits", () => {
  it("30 simultaneous creates with MAX_IN_FLIGHT=5 and no queue: 5 admitted, 5 provider tasks", async () => {
    const group = await cluster({ MAX_IN_FLIGHT: "5", MAX_QUEUED: "0" });
    expect(await burst(group.nginx.url, 30, "cap")).toBe(5);
    // All five start (in their turn), and no sixth ever does.
    await waitFor(async () => tasksFor("cap").length === 5, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(tasksFor("cap")).toHaveLength(5);
    await stopCluster(group);
  });

  it("with a queue: 15 simultaneous creates all wait their turn, never more than 5 provider tasks run at once, and each starts once", async () => {
    const group = await cluster({ MAX_IN_FLIGHT: "5", MAX_QUEUED: "50", POLL_INTERVAL_MS: "200" });
    expect(await burst(group.nginx.url, 15, "queue")).toBe(15);
    const finished = new Set<string>();
    let most = 0;
    const deadline = Date.now() + 60_000;
    while (finished.size < 15) {
      if (Date.now() > deadline) throw new Error(`only ${finished.size} of 15 queued generations ran within a minute`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      // Running at the provider: made and not yet finished by us (the app frees a slot only after that).
      const running = tasksFor("queue").flatMap((request) => (request.taskId && !finished.has(request.taskId) ? [request.taskId] : []));
      most = Math.max(most, running.length);
      expect(running.length).toBeLessThanOrEqual(5);
      for (const taskId of running.slice(0, 2)) {
        upstream.completeTask(taskId);
        finished.add(taskId);
      }
    }
    expect(most).toBe(5);
    expect(tasksFor("queue")).toHaveLength(15);
    expect(new Set(tasksFor("queue").map((request) => request.params.prompt)).size).toBe(15);
    await stopCluster(group);
  });

  it("20 simultaneous creates against a $1 day budget at $0.30 each: 3 admitted", async () => {
    const group = await cluster({ MAX_SPEND_USD_DAY: "1", COST_ESTIMATE_USD: "0.30" });
    expect(await burst(group.nginx.url, 20, "budget", 402)).toBe(3);
    await stopCluster(group);
  });

  it("a global limit of 10 a minute admits 10 across the instances", async () => {
    const group = await cluster({ CREATE_LIMIT_GLOBAL_PER_MINUTE: "10" });
    expect(await burst(group.nginx.url, 30, "global")).toBe(10);
    await stopCluster(group);
  });
});

/** Opens a generation's event stream on one instance and resolves with when its final event arrived. */
async function finalEventAt(appUrl: string, id: string): Promise<number> {
  const response = await fetch(`${appUrl}/api/generations/${id}/events`);
  expect(response.status).toBe(200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream on ${appUrl} ended without a final event`);
    buffered += value;
    for (const event of buffered.split("\n\n").slice(0, -1)) {
      const data = event.split("\n").find((line) => line.startsWith("data: "));
      if (!data) continue;
      const view = JSON.parse(data.slice(6)) as GenerationView;
      if (view.status === "succeeded" || view.status === "failed") {
        const at = Date.now();
        await reader.cancel();
        return at;
      }
    }
    buffered = buffered.slice(buffered.lastIndexOf("\n\n") + 2);
  }
}

describe("three instances behind nginx share live updates and callbacks", () => {
  let group: Cluster;
  let uploadId: string;

  beforeAll(async () => {
    upstream.reset();
    // Polls so rare that only a callback or a notice between instances can finish a generation in time.
    group = await cluster({ POLL_INTERVAL_MS: "60000", TRACKER_LEASE_MS: "1500" });
    uploadId = (await createUpload(group.nginx.url, portrait)).id;
  }, 120_000);

  afterAll(async () => stopCluster(group));

  it("an event stream on every instance gets the final event within 1 s of completion, through the provider's callback", async () => {
    const delays: number[] = [];
    for (let round = 0; round < 3; round++) {
      const answer = await post(group.nginx.url, uploadId, `events ${round}`);
      expect(answer.status).toBe(201);
      const { id } = (await answer.json()) as GenerationView;
      const taskId = await waitFor(async () => tasksFor("events").find((request) => request.params.prompt === `events ${round}`)?.taskId);
      const streams = group.apps.map((app) => finalEventAt(app.url, id));
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The fake provider sends its callback (to nginx, so to any instance) as the task completes.
      const completedAt = Date.now();
      upstream.completeTask(taskId);
      const arrivals = await Promise.all(streams);
      for (const arrival of arrivals) expect(arrival - completedAt).toBeLessThan(1000);
      delays.push(...arrivals.map((arrival) => arrival - completedAt));
      expect((await getGeneration(group.nginx.url, id)).status).toBe("succeeded");
    }
    expect(tasksFor("events")).toHaveLength(3);
    console.info(`final event after the completion callback, on 3 instances x 3 generations: ${Math.min(...delays)}-${Math.max(...delays)} ms`);
  });

  it("killing one instance mid-generation loses nothing and sends no task twice", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const answer = await post(group.nginx.url, uploadId, `survive ${i}`);
      expect(answer.status).toBe(201);
      ids.push(((await answer.json()) as GenerationView).id);
    }
    const taskIds = await waitFor(async () => {
      const made = tasksFor("survive").map((request) => request.taskId);
      return made.length === 6 && made.every(Boolean) ? (made as string[]) : undefined;
    });
    await group.apps[0]!.stop();
    for (const taskId of taskIds) upstream.completeTask(taskId);
    for (const id of ids) {
      await waitFor(async () => (await getGeneration(group.nginx.url, id)).status === "succeeded", 20_000);
    }
    expect(tasksFor("survive")).toHaveLength(6);
    expect(new Set(tasksFor("survive").map((request) => request.params.prompt)).size).toBe(6);
  });
});
