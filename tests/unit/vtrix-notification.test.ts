import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { UpstreamError } from "@/lib/upstream/provider";
import { taskIdFromNotification } from "@/lib/upstream/vtrix/notification";
import { createVtrixApi } from "@/lib/upstream/vtrix/vtrix-api";
import { toCreateBody } from "@/lib/upstream/vtrix/transform";

describe("the task id in a provider notification", () => {
  it.each([
    ["the task object", { id: "task_1a2b", status: "processing", output: null }, "task_1a2b"],
    ["a numeric id", { id: 12345, status: "completed" }, "12345"],
    ["MiniMax's task_id", { task_id: "106916112212032", status: "success", file_id: "x" }, "106916112212032"],
    ["a data envelope", { data: { id: "task-9", status: "completed" } }, "task-9"],
  ])("is read from %s", (_name, body, id) => {
    expect(taskIdFromNotification(body)).toBe(id);
  });

  it.each([
    ["a challenge", { challenge: "abc" }],
    ["a path in disguise", { id: "../../v1/keys" }],
    ["an over-long id", { id: "a".repeat(200) }],
    ["an empty id", { id: "" }],
    ["an object id", { id: { $ne: null } }],
    ["not an object", "task_1"],
    ["nothing", null],
  ])("is absent from %s", (_name, body) => {
    expect(taskIdFromNotification(body)).toBeNull();
  });
});

describe("a create that fails on the way", () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  const listen = async (onConnection: (socket: Socket) => void) => {
    server = createServer(onConnection);
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    return typeof address === "object" && address ? address.port : 0;
  };
  const body = toCreateBody({ image: { bytes: new Uint8Array([0xff, 0xd8, 0xff]), type: "image/jpeg" }, prompt: "", promptOptimizer: true, watermark: false });
  const outcome = (port: number) =>
    createVtrixApi({ baseUrl: `http://127.0.0.1:${port}`, apiKey: "k", timeoutMs: 2_000 })
      .createTask(body)
      .then(
        () => null,
        (error: unknown) => error,
      );

  it("cannot have made a task when no connection was made", async () => {
    const port = await listen(() => undefined);
    server?.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const error = await outcome(port);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ kind: "network", options: { taskMayExist: false } });
  });

  it("may have made a task when the connection dropped after the request was sent", async () => {
    const port = await listen((socket: Socket) => socket.once("data", () => socket.destroy()));
    const error = await outcome(port);
    expect(error).toMatchObject({ kind: "network", options: { taskMayExist: true } });
  });
});
