import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiRequestError } from "@/lib/client/api-request-error";
import { CropUploader, FramingChangedError, type UploadState } from "@/lib/client/crop-uploader";
import type { UploadView } from "@/lib/contracts/upload";

const DAY = 24 * 3600_000;

/** A scripted server: each upload waits until the test answers it. */
function scriptedServer(options: { answersDespiteAbort?: boolean } = {}) {
  const calls: Array<{ image: Blob; signal: AbortSignal; answer: (result: UploadView | Error) => void }> = [];
  let n = 0;
  const upload = (image: Blob, { signal }: { signal: AbortSignal }) =>
    new Promise<UploadView>((resolve, reject) => {
      // A real answer can race the abort (it was already on its way back).
      if (!options.answersDespiteAbort) signal.addEventListener("abort", () => reject(signal.reason));
      calls.push({ image, signal, answer: (result) => (result instanceof Error ? reject(result) : resolve(result)) });
    });
  const view = (text: string): UploadView => ({
    id: `upload-${String(++n).padStart(14, "0")}`,
    width: 960,
    height: 1280,
    bytes: text.length,
    expiresAt: new Date(Date.now() + DAY).toISOString(),
  });
  return { calls, upload, view };
}

const framing = (key: string) => ({ key, encode: async () => new Blob([key], { type: "image/jpeg" }) });
const text = (blob: Blob) => blob.text();

describe("CropUploader", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("starts the upload once the framing has settled, not on every change", async () => {
    const server = scriptedServer();
    const uploader = new CropUploader({ upload: server.upload, debounceMs: 400 });
    uploader.setFraming(framing("a"));
    await vi.advanceTimersByTimeAsync(300);
    uploader.setFraming(framing("b"));
    await vi.advanceTimersByTimeAsync(300);
    expect(server.calls).toHaveLength(0);
    expect(uploader.getState().phase).toBe("pending");
    await vi.advanceTimersByTimeAsync(150);
    expect(server.calls).toHaveLength(1);
    expect(await text(server.calls[0]!.image)).toBe("b");
    server.calls[0]!.answer(server.view("b"));
    await vi.advanceTimersByTimeAsync(0);
    expect(uploader.getState()).toMatchObject({ phase: "ready", key: "b" });
  });

  it("encodes while the framing settles, so the upload leaves when the settle ends, and encodes each framing once", async () => {
    const server = scriptedServer();
    const encoded: string[] = [];
    // An encode that takes 200 ms, as a large crop does on a slow phone.
    const slowFraming = (key: string) => ({
      key,
      encode: () =>
        new Promise<Blob>((resolve) => {
          encoded.push(key);
          setTimeout(() => resolve(new Blob([key], { type: "image/jpeg" })), 200);
        }),
    });
    const uploader = new CropUploader({ upload: server.upload, debounceMs: 400, encodeAfterMs: 150, retryDelaysMs: [100] });
    uploader.setFraming(slowFraming("a"));
    await vi.advanceTimersByTimeAsync(100);
    uploader.setFraming(slowFraming("b"));
    await vi.advanceTimersByTimeAsync(399);
    expect(server.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.calls).toHaveLength(1);
    expect(await text(server.calls[0]!.image)).toBe("b");
    // A failed try sends the same encoded crop again.
    server.calls[0]!.answer(new Error("network down"));
    await vi.advanceTimersByTimeAsync(100);
    expect(server.calls).toHaveLength(2);
    expect(encoded).toEqual(["b"]);
  });

  it("aborts a stale upload, and never hands out the old framing's upload even if its answer comes last", async () => {
    const server = scriptedServer({ answersDespiteAbort: true });
    const uploader = new CropUploader({ upload: server.upload, debounceMs: 10 });
    uploader.setFraming(framing("old"));
    await vi.advanceTimersByTimeAsync(10);
    expect(server.calls).toHaveLength(1);
    uploader.setFraming(framing("new"));
    expect(server.calls[0]!.signal.aborted).toBe(true);
    const ready = uploader.ready();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls).toHaveLength(2);
    // The old request's answer arriving anyway, before the new one, changes nothing.
    server.calls[0]!.answer(server.view("old"));
    await vi.advanceTimersByTimeAsync(0);
    expect(uploader.getState()).toMatchObject({ phase: "uploading", key: "new" });
    server.calls[1]!.answer(server.view("new"));
    const upload = await ready;
    expect(upload.id).toBe("upload-00000000000002");
    expect(uploader.getState()).toMatchObject({ phase: "ready", key: "new" });
  });

  it("a click during the wait follows a framing change made while waiting", async () => {
    const server = scriptedServer();
    const uploader = new CropUploader({ upload: server.upload, debounceMs: 10 });
    uploader.setFraming(framing("first"));
    const ready = uploader.ready();
    await vi.advanceTimersByTimeAsync(0);
    uploader.setFraming(framing("second"));
    await vi.advanceTimersByTimeAsync(10);
    server.calls[0]!.answer(server.view("first"));
    server.calls[1]!.answer(server.view("second"));
    expect((await ready).id).toBe("upload-00000000000002");
  });

  it("retries a failed upload with backoff, and a waiting click starts the retry at once", async () => {
    const server = scriptedServer();
    const states: UploadState[] = [];
    const uploader = new CropUploader({ upload: server.upload, debounceMs: 10, retryDelaysMs: [1000, 5000] });
    uploader.subscribe(() => states.push(uploader.getState()));
    uploader.setFraming(framing("a"));
    await vi.advanceTimersByTimeAsync(10);
    server.calls[0]!.answer(new ApiRequestError("The upload could not reach the server.", 0, "network"));
    await vi.advanceTimersByTimeAsync(0);
    expect(uploader.getState()).toMatchObject({ phase: "retrying", attempt: 1 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(server.calls).toHaveLength(2);
    server.calls[1]!.answer(new ApiRequestError("busy", 503, "unavailable"));
    await vi.advanceTimersByTimeAsync(0);
    expect(uploader.getState()).toMatchObject({ phase: "retrying", attempt: 2 });
    const ready = uploader.ready();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls).toHaveLength(3);
    server.calls[2]!.answer(server.view("a"));
    expect((await ready).id).toBe("upload-00000000000001");
    expect(states.map((state) => state.phase)).toContain("uploading");
  });

  it("a refusal is final: no retries, and a waiting click gets the server's message", async () => {
    const server = scriptedServer();
    const uploader = new CropUploader({ upload: server.upload, debounceMs: 10 });
    uploader.setFraming(framing("a"));
    const ready = uploader.ready();
    const outcome = ready.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(0);
    server.calls[0]!.answer(new ApiRequestError("The image is too small.", 422, "image_too_small", "image"));
    expect(await outcome).toMatchObject({ status: 422, message: "The image is too small." });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.calls).toHaveLength(1);
    expect(uploader.getState().phase).toBe("failed");
  });

  it("a waiting click gives up after repeated failures while the uploads keep retrying", async () => {
    const server = scriptedServer();
    const uploader = new CropUploader({ upload: server.upload, debounceMs: 10, retryDelaysMs: [100], triesWhileWaiting: 2 });
    uploader.setFraming(framing("a"));
    const outcome = uploader.ready().catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(0);
    server.calls[0]!.answer(new ApiRequestError("offline", 0, "network"));
    await vi.advanceTimersByTimeAsync(100);
    server.calls[1]!.answer(new ApiRequestError("offline", 0, "network"));
    expect(await outcome).toMatchObject({ code: "network" });
    await vi.advanceTimersByTimeAsync(100);
    expect(server.calls).toHaveLength(3);
  });

  it("an upload close to its expiry, or one the server no longer knows, is made again", async () => {
    const server = scriptedServer();
    const uploader = new CropUploader({ upload: server.upload, debounceMs: 10, expiryMarginMs: 60_000 });
    uploader.setFraming(framing("a"));
    await vi.advanceTimersByTimeAsync(10);
    server.calls[0]!.answer({ ...server.view("a"), expiresAt: new Date(Date.now() + 30_000).toISOString() });
    await vi.advanceTimersByTimeAsync(0);
    const again = uploader.ready();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls).toHaveLength(2);
    server.calls[1]!.answer(server.view("a"));
    const upload = await again;
    expect(upload.id).toBe("upload-00000000000002");
    expect(await uploader.ready()).toBe(upload);
    uploader.invalidate(upload.id);
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls).toHaveLength(3);
  });

  it("the same framing reported again is not a new upload; no framing rejects a waiting click", async () => {
    const server = scriptedServer();
    const uploader = new CropUploader({ upload: server.upload, debounceMs: 10 });
    uploader.setFraming(framing("a"));
    await vi.advanceTimersByTimeAsync(10);
    uploader.setFraming(framing("a"));
    expect(server.calls[0]!.signal.aborted).toBe(false);
    const outcome = uploader.ready().catch((error: unknown) => error);
    uploader.setFraming(null);
    expect(await outcome).toBeInstanceOf(Error);
    expect(uploader.getState().phase).toBe("idle");
  });

  it("a click made for one framing never receives another's upload: a change rejects it, and its signal withdraws it", async () => {
    const server = scriptedServer();
    const uploader = new CropUploader({ upload: server.upload, debounceMs: 400 });
    uploader.setFraming(framing("a"));
    const forA = uploader.ready({ key: "a" }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(0);
    uploader.setFraming(framing("b"));
    expect(await forA).toBeInstanceOf(FramingChangedError);
    await expect(uploader.ready({ key: "a" })).rejects.toBeInstanceOf(FramingChangedError);

    const controller = new AbortController();
    const forB = uploader.ready({ key: "b", signal: controller.signal }).catch((error: unknown) => error);
    controller.abort(new Error("cancelled"));
    expect(await forB).toMatchObject({ message: "cancelled" });
    const again = uploader.ready({ key: "b" });
    await vi.advanceTimersByTimeAsync(0);
    server.calls.at(-1)!.answer(server.view("b"));
    await expect(again).resolves.toMatchObject({ bytes: 1 });
  });
});
