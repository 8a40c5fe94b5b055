import { createServer } from "node:http";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "./fake-upstream";

let fake: FakeUpstream;
let image: string;

beforeAll(async () => {
  fake = await startFakeUpstream({ apiKey: "k", timeline: { pendingMs: 100, processingMs: 200 } });
  image = `data:image/jpeg;base64,${(
    await sharp({ create: { width: 400, height: 600, channels: 3, background: "#a86" } })
      .jpeg()
      .toBuffer()
  ).toString("base64")}`;
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const create = (params: Record<string, unknown>, key = "k") =>
  fetch(`${fake.url}/model/v1/generation`, {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify({ model: "minimax_i2v_01_live", input: [{ params }] }),
  });
const poll = (id: string) => fetch(`${fake.url}/model/v1/generation/task/${id}`, { headers: { Authorization: "Bearer k" } });

describe("the fake gateway", () => {
  it("refuses a wrong key", async () => {
    expect((await create({ first_frame_image: image }, "nope")).status).toBe(401);
    expect(fake.stats().authFailures).toBe(1);
  });

  it.each([
    [{ first_frame_image: "data:image/jpeg;base64,aGVsbG8=" }, "format"],
    [{ duration: 10 }, "duration"],
    [{ resolution: "1080P" }, "resolution"],
    [{ prompt: "x".repeat(2001) }, "prompt"],
  ])("enforces the documented rules: %j", async (params, word) => {
    // The table is built before beforeAll runs, so the valid image is added here.
    const response = await create({ first_frame_image: image, ...params });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain(word);
    expect(fake.stats().creates).toMatchObject({ accepted: 0, rejected: 1 });
  });

  it("walks a task to completed and serves a real MP4 from an expiring link", async () => {
    const task = (await (await create({ first_frame_image: image, prompt: "hi" })).json()) as { id: string; status: string };
    expect(task.status).toBe("pending");
    await new Promise((resolve) => setTimeout(resolve, 350));
    const done = (await (await poll(task.id)).json()) as { status: string; output: Array<{ content: Array<{ url: string }> }>; usage: { cost: string } };
    expect(done.status).toBe("completed");
    expect(done.usage.cost).toBe("0.28");
    const url = done.output[0]?.content[0]?.url ?? "";
    const video = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(video.subarray(4, 8).toString("latin1")).toBe("ftyp");
    expect((await fetch(url.replace(/sig=\w+/, "sig=forged"))).status).toBe(403);
    fake.setFaults({ expireResults: true });
    expect((await fetch(url)).status).toBe(403);
  });

  it("injects HTTP faults for a given number of requests", async () => {
    fake.setFaults({ createHttpStatus: { status: 429, times: 1 } });
    const limited = await create({ first_frame_image: image });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect((await create({ first_frame_image: image })).status).toBe(200);
  });

  it("fails tasks with a chosen code and error shape", async () => {
    fake.setFaults({ failNextTasks: { code: "010006099", times: 1, errorShape: "message" } });
    const task = (await (await create({ first_frame_image: image })).json()) as { id: string };
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await (await poll(task.id)).json()).toMatchObject({ status: "failed", error: { code: "010006099", message: expect.any(String) } });
  });

  it.each(["drop", "late"] as const)("can make the task yet lose its answer (%s), and still calls back with the task object", async (mode) => {
    const received: Array<{ id?: string; status?: string }> = [];
    const receiver = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        received.push(JSON.parse(body) as { id?: string; status?: string });
        response.writeHead(200, { "Content-Type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const address = receiver.address();
    const callbackUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/cb`;
    try {
      fake.setFaults({ createAnswerLost: { times: 1, mode, lateMs: 2_000 } });
      const answer = await fetch(`${fake.url}/model/v1/generation`, {
        method: "POST",
        headers: { Authorization: "Bearer k", "Content-Type": "application/json" },
        body: JSON.stringify({ model: "minimax_i2v_01_live", input: [{ params: { first_frame_image: image, callback_url: callbackUrl } }] }),
        signal: AbortSignal.timeout(500),
      }).then(
        () => "answered",
        () => "lost",
      );
      expect(answer).toBe("lost");
      const stats = fake.stats();
      expect(stats.creates).toMatchObject({ accepted: 1, answersLost: 1 });
      const taskId = stats.creates.requests[0]?.taskId ?? "";
      // The task exists and runs to the end; its callbacks name it.
      for (let i = 0; i < 50 && !received.some((body) => body.status === "completed"); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(received.map((body) => body.id)).toContain(taskId);
      expect(received.at(-1)).toMatchObject({ id: taskId, status: "completed" });
      expect(((await (await poll(taskId)).json()) as { status: string }).status).toBe("completed");
      // Only that one create lost its answer.
      expect((await create({ first_frame_image: image })).status).toBe(200);
    } finally {
      receiver.close();
    }
  });
});
