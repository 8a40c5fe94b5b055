import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bundledFfmpeg, ffmpegVersion, resolveFfmpeg } from "@/lib/ffmpeg/ffmpeg-binaries";

/** A folder holding executables with these names, each printing an ffmpeg-like version line. */
function binFolder(...names: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ffmpeg-bin-"));
  for (const name of names) {
    writeFileSync(path.join(dir, name), `#!/bin/sh\necho "${name} version 9.9-test Copyright"\n`);
    chmodSync(path.join(dir, name), 0o755);
  }
  return dir;
}

describe("which ffmpeg runs", () => {
  it("FFMPEG_PATH and FFPROBE_PATH first, whatever is on PATH", () => {
    const system = binFolder("ffmpeg", "ffprobe");
    expect(resolveFfmpeg({ FFMPEG_PATH: "/opt/ff/ffmpeg", FFPROBE_PATH: "/opt/ff/ffprobe" }, system)).toEqual({
      ffmpeg: "/opt/ff/ffmpeg",
      source: "FFMPEG_PATH",
      ffprobe: "/opt/ff/ffprobe",
    });
  });

  it("then the system's, found on PATH, with its ffprobe", () => {
    const system = binFolder("ffmpeg", "ffprobe");
    const empty = binFolder();
    expect(resolveFfmpeg({}, [empty, system].join(path.delimiter))).toEqual({
      ffmpeg: path.join(system, "ffmpeg"),
      source: "PATH",
      ffprobe: path.join(system, "ffprobe"),
    });
  });

  it("the bundled build last, with no ffprobe, when PATH has neither", () => {
    expect(resolveFfmpeg({}, binFolder())).toEqual({ ffmpeg: bundledFfmpeg(), source: "bundled", ffprobe: null });
  });

  it("reads the version ffmpeg reports, and null from a program that does not answer", async () => {
    expect(await ffmpegVersion(path.join(binFolder("ffmpeg"), "ffmpeg"))).toBe("9.9-test");
    expect(await ffmpegVersion(bundledFfmpeg())).toMatch(/\S+/);
    expect(await ffmpegVersion("/nonexistent/ffmpeg")).toBeNull();
  });
});
