import { describe, expect, it } from "vitest";
import { createFromUpload, type FromUpload } from "@/components/studio/create-from-upload";
import { ApiRequestError } from "@/lib/client/api-request-error";
import type { UploadView } from "@/lib/contracts/upload";

const uploadView = (id: string): UploadView => ({ id, width: 720, height: 1280, bytes: 1000, expiresAt: "2026-12-01T00:00:00.000Z" });

interface Input extends FromUpload {
  prompt: string;
}

/** A create whose server answers from a script, one answer per request, and records what it was sent. */
function scripted(answers: Array<"ok" | Error>) {
  const sent: Array<{ body: { uploadId: string; prompt: string }; key: string }> = [];
  let keys = 0;
  const create = createFromUpload({
    body: (uploadId: string, input: Input) => ({ uploadId, prompt: input.prompt }),
    send: async (body: { uploadId: string; prompt: string }, key: string) => {
      sent.push({ body, key });
      const answer = answers.shift() ?? "ok";
      if (answer instanceof Error) throw answer;
      return { id: `created-${sent.length}` };
    },
    newKey: () => `key-${++keys}`,
  });
  return { create, sent };
}

/** An input whose upload is `uploads[0]` until it is invalidated, then the next one. */
function input(prompt: string, uploads = ["upload-a", "upload-b", "upload-c"]) {
  const invalidated: string[] = [];
  return {
    invalidated,
    value: {
      prompt,
      upload: async () => uploadView(uploads[invalidated.length] ?? "none"),
      invalidateUpload: (id: string) => void invalidated.push(id),
    },
  };
}

const lostConnection = () => new TypeError("fetch failed");
const serverError = () => new ApiRequestError("Try again shortly.", 503, "unavailable");
const refusal = () => new ApiRequestError("The prompt is too long.", 400, "invalid_input", "prompt");
const unknownUpload = () => new ApiRequestError("That upload is gone.", 404, "not_found", "uploadId");

describe("a create from the studio's upload", () => {
  it("retries the same request under the same key after a lost answer or a 5xx, and takes a new key once answered", async () => {
    const { create, sent } = scripted([lostConnection(), serverError(), "ok", "ok"]);
    const { value } = input("smile");
    await expect(create(value)).rejects.toThrow("fetch failed");
    await expect(create(value)).rejects.toThrow("Try again shortly.");
    await expect(create(value)).resolves.toEqual({ id: "created-3" });
    // Answered: the same click again is a new intent, not a replay.
    await create(value);
    expect(sent.map((request) => request.key)).toEqual(["key-1", "key-1", "key-1", "key-2"]);
  });

  it("drops the key after a refusal: nothing was created, so the next try is a new request", async () => {
    const { create, sent } = scripted([refusal(), "ok"]);
    const { value } = input("smile");
    await expect(create(value)).rejects.toThrow("The prompt is too long.");
    await create(value);
    expect(sent.map((request) => request.key)).toEqual(["key-1", "key-2"]);
  });

  it("gives a changed request its own key, never the old one's", async () => {
    const { create, sent } = scripted([lostConnection(), "ok"]);
    await expect(create(input("smile").value)).rejects.toThrow();
    await create(input("nod").value);
    expect(sent).toEqual([
      { body: { uploadId: "upload-a", prompt: "smile" }, key: "key-1" },
      { body: { uploadId: "upload-a", prompt: "nod" }, key: "key-2" },
    ]);
  });

  it("makes a lost upload again once and sends the new one; a second loss is the answer", async () => {
    const once = scripted([unknownUpload(), "ok"]);
    const first = input("smile");
    await expect(once.create(first.value)).resolves.toEqual({ id: "created-2" });
    expect(first.invalidated).toEqual(["upload-a"]);
    expect(once.sent.map((request) => request.body.uploadId)).toEqual(["upload-a", "upload-b"]);

    const twice = scripted([unknownUpload(), unknownUpload(), "ok"]);
    const second = input("smile");
    await expect(twice.create(second.value)).rejects.toThrow("That upload is gone.");
    expect(second.invalidated).toEqual(["upload-a"]);
    expect(twice.sent).toHaveLength(2);
  });
});
