import { describe, expect, it } from "vitest";
import { aGeneration } from "../support/fakes/generation-record";
import { toGenerationView } from "@/lib/generations/to-generation-view";
import { MediaWriteError } from "@/lib/media/media-store";
import { isStorageFull } from "@/lib/media/storage-full";
import { formatDuration } from "@/lib/contracts/format-duration";
import { classifyResultFailure } from "@/lib/tracker/result-failure";
import { UpstreamError } from "@/lib/upstream/provider";

describe("formatDuration", () => {
  it.each([
    [400, "1 second"],
    [1_000, "1 second"],
    [45_000, "45 seconds"],
    [60_000, "1 minute"],
    [90_000, "1 minute 30 seconds"],
    [30 * 60_000, "30 minutes"],
    [60 * 60_000, "1 hour"],
    [2 * 3_600_000 + 5 * 60_000 + 7_000, "2 hours 5 minutes"],
  ])("%i ms reads %s", (ms, words) => {
    expect(formatDuration(ms)).toBe(words);
  });
});

describe("classifyResultFailure", () => {
  const upstream = (kind: ConstructorParameters<typeof UpstreamError>[0]) => new UpstreamError(kind, `${kind} message.`, { taskMayExist: true });

  it("fails at once on links our rules refuse, keeping the reason", () => {
    expect(classifyResultFailure(upstream("result_invalid"))).toEqual({
      action: "fail",
      code: "result_refused",
      message: "result_invalid message. The video was not saved.",
    });
  });

  it("fails at once on files the store refuses", () => {
    expect(classifyResultFailure(new MediaWriteError("too_large", "big"))).toMatchObject({ action: "fail", code: "result_too_large" });
    expect(classifyResultFailure(new MediaWriteError("rejected", "not mp4"))).toMatchObject({ action: "fail", code: "result_invalid" });
  });

  it("asks for a fresh link when the link expired", () => {
    expect(classifyResultFailure(upstream("result_expired"))).toEqual({ action: "refresh_link" });
  });

  it("waits for space on ENOSPC, EDQUOT and SQLITE_FULL, also when wrapped", () => {
    const enospc = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28 });
    expect(classifyResultFailure(enospc)).toEqual({ action: "wait_for_space" });
    expect(classifyResultFailure(Object.assign(new Error("quota"), { code: "EDQUOT" }))).toEqual({ action: "wait_for_space" });
    expect(classifyResultFailure(new Error("upload failed", { cause: enospc }))).toEqual({ action: "wait_for_space" });
    expect(isStorageFull(Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" }))).toBe(true);
    expect(isStorageFull(Object.assign(new Error("reset"), { code: "ECONNRESET" }))).toBe(false);
  });

  it("retries passing failures", () => {
    for (const kind of ["network", "timeout", "server_error"] as const) expect(classifyResultFailure(upstream(kind))).toEqual({ action: "retry" });
    expect(classifyResultFailure(new Error("socket hang up"))).toEqual({ action: "retry" });
  });
});

describe("generation view notices", () => {
  const base = aGeneration({ id: "g".repeat(21), inputWidth: 600, inputHeight: 800 });

  it("shows why an unfinished generation waits, and no error", () => {
    const view = toGenerationView({ ...base, status: "processing", errorCode: "storage_full", errorMessage: "full" }, {});
    expect(view.notice).toEqual({ code: "storage_full", message: "full" });
    expect(view.error).toBeNull();
  });

  it("shows a failure as an error, not a notice", () => {
    const view = toGenerationView({ ...base, status: "failed", errorCode: "result_expired", errorMessage: "expired" }, {});
    expect(view.notice).toBeNull();
    expect(view.error).toEqual({ code: "result_expired", message: "expired" });
  });
});
