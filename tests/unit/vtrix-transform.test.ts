import { describe, expect, it } from "vitest";
import { reshapeTask, toCreateBody } from "@/lib/upstream/vtrix/transform";
import { unwrapTaskBody, wireTaskSchema } from "@/lib/upstream/vtrix/wire";

const parse = (body: unknown) => reshapeTask(wireTaskSchema.parse(unwrapTaskBody(body)));
const VIDEO = "https://cdn.example.com/v/abc.mp4?sig=1";

describe("reshapeTask: status spellings", () => {
  it.each([
    ["pending", "queued"],
    ["queued", "queued"],
    ["in_queue", "queued"],
    ["processing", "processing"],
    ["in_progress", "processing"],
    ["failed", "failed"],
  ] as const)("%s → %s", (status, state) => {
    const snapshot = parse({ id: "t1", status });
    expect(snapshot.state).toBe(state);
    expect(snapshot.recognisedStatus).toBe(true);
  });

  it.each(["completed", "done", "COMPLETED"])("%s with a video → succeeded", (status) => {
    const snapshot = parse({ id: "t1", status, output: [{ content: [{ type: "video", url: VIDEO }] }] });
    expect(snapshot).toMatchObject({ state: "succeeded", videoUrl: VIDEO, progress: 1 });
  });

  it("treats an unknown status as still in flight and flags it", () => {
    const snapshot = parse({ id: "t1", status: "warming_up" });
    expect(snapshot).toMatchObject({ state: "processing", recognisedStatus: false, providerStatus: "warming_up" });
  });

  it("fails a completed task that carries no video link", () => {
    const snapshot = parse({ id: "t1", status: "completed", output: [] });
    expect(snapshot.state).toBe("failed");
    expect(snapshot.error?.code).toBe("no_result");
  });
});

describe("reshapeTask: output shapes", () => {
  it("reads output as an array of content holders", () => {
    const snapshot = parse({
      id: "t1",
      status: "completed",
      output: [
        {
          content: [
            { type: "image", url: "https://x/poster.jpg" },
            { type: "video", url: VIDEO },
          ],
        },
      ],
    });
    expect(snapshot.videoUrl).toBe(VIDEO);
  });

  it("reads content directly under an output object", () => {
    const snapshot = parse({ id: "t1", status: "completed", output: { content: [{ type: "video", url: VIDEO }] } });
    expect(snapshot.videoUrl).toBe(VIDEO);
  });

  it("falls back to the first item with a url when none is typed video", () => {
    const snapshot = parse({ id: "t1", status: "completed", output: [{ content: [{ url: VIDEO }] }] });
    expect(snapshot.videoUrl).toBe(VIDEO);
  });

  it("ignores a malformed output instead of rejecting the whole answer", () => {
    const snapshot = parse({ id: "t1", status: "processing", output: "??" });
    expect(snapshot.state).toBe("processing");
  });

  it("unwraps a { data: task } envelope", () => {
    expect(parse({ data: { id: "t9", status: "pending" } }).taskId).toBe("t9");
  });

  it("accepts a numeric task id", () => {
    expect(parse({ id: 12345, status: "pending" }).taskId).toBe("12345");
  });
});

describe("reshapeTask: progress and cost", () => {
  it("keeps fractions, converts percentages, ignores junk", () => {
    expect(parse({ id: "t", status: "processing", progress: 0.42 }).progress).toBe(0.42);
    expect(parse({ id: "t", status: "processing", progress: 42 }).progress).toBe(0.42);
    expect(parse({ id: "t", status: "processing", progress: "0.5" }).progress).toBe(0.5);
    expect(parse({ id: "t", status: "processing", progress: "soon" }).progress).toBeNull();
    expect(parse({ id: "t", status: "processing" }).progress).toBeNull();
  });

  it("keeps cost as the provider's decimal string; accepts numbers; drops junk", () => {
    const done = { id: "t", status: "completed", output: [{ content: [{ type: "video", url: VIDEO }] }] };
    expect(parse({ ...done, usage: { cost: "0.28", discount: 0 } }).costUsd).toBe("0.28");
    expect(parse({ ...done, usage: { cost: 0.28 } }).costUsd).toBe("0.28");
    expect(parse({ ...done, usage: { cost: "free" } }).costUsd).toBeNull();
    expect(parse({ ...done, usage: null }).costUsd).toBeNull();
  });
});

describe("reshapeTask: error shapes", () => {
  it("maps a numeric documented code to its human message", () => {
    const snapshot = parse({ id: "t", status: "failed", error: { code: 10006095, error_message: "boom" } });
    expect(snapshot.error).toEqual({
      code: "10006095",
      message: expect.stringContaining("internal error while generating"),
    });
  });

  it("accepts the code as a zero-padded string and `message` instead of `error_message`", () => {
    const snapshot = parse({ id: "t", status: "failed", error: { code: "010006099", message: "nope" } });
    expect(snapshot.error?.code).toBe("10006099");
    expect(snapshot.error?.message).toContain("could not create the task");
  });

  it("accepts a plain string error and shows the provider's words", () => {
    const snapshot = parse({ id: "t", status: "failed", error: "content policy violation" });
    expect(snapshot.error).toEqual({
      code: "provider_error",
      message: "The provider could not generate the video: content policy violation",
    });
  });

  it("gives a failed task without an error a generic message", () => {
    expect(parse({ id: "t", status: "failed" }).error?.message).toBe("The provider could not generate the video.");
  });

  it("rejects an answer with no id or status", () => {
    expect(wireTaskSchema.safeParse({ status: "pending" }).success).toBe(false);
    expect(wireTaskSchema.safeParse({ id: "t" }).success).toBe(false);
  });
});

describe("toCreateBody", () => {
  it("wraps the parameters in the gateway's envelope with the fixed duration and resolution", () => {
    expect(
      toCreateBody({
        image: { bytes: new Uint8Array([0, 0, 0]), type: "image/jpeg" },
        prompt: "she smiles",
        promptOptimizer: false,
        watermark: true,
        callbackUrl: "https://app.example/api/callbacks/vtrix/x",
      }),
    ).toEqual({
      model: "minimax_i2v_01_live",
      input: [
        {
          params: {
            first_frame_image: "data:image/jpeg;base64,AAAA",
            prompt: "she smiles",
            duration: 6,
            resolution: "720P",
            prompt_optimizer: false,
            aigc_watermark: true,
            callback_url: "https://app.example/api/callbacks/vtrix/x",
          },
        },
      ],
    });
  });

  it("sends the first frame as a data URL of its own type, built from the bytes", () => {
    const bytes = new Uint8Array(Buffer.from("\x89PNG\r\n\x1a\nrest", "latin1"));
    const params = toCreateBody({ image: { bytes: bytes.subarray(1), type: "image/png" }, prompt: "", promptOptimizer: true, watermark: false }).input[0]
      .params;
    expect(params.first_frame_image).toBe(`data:image/png;base64,${Buffer.from(bytes.subarray(1)).toString("base64")}`);
  });

  it("leaves out an empty prompt and an absent callback", () => {
    const params = toCreateBody({ image: { bytes: new Uint8Array(), type: "image/jpeg" }, prompt: "", promptOptimizer: true, watermark: false }).input[0]
      .params;
    expect(params).not.toHaveProperty("prompt");
    expect(params).not.toHaveProperty("callback_url");
  });
});
