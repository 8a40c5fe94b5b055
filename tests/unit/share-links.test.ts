import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeTestPattern, ffmpegBinary } from "../../bench/support/test-pattern-clip";
import { oembedQuerySchema } from "@/lib/contracts/oembed";
import { newShareLinkBodySchema, shareExpiresAt, shareExpiryBodySchema } from "@/lib/contracts/share";
import { aMinuteFromNow, systemFfprobe, testRunner } from "../support/ffmpeg-runner";
import { embedIframe, fitWithin } from "@/lib/share/share-card";
import { isShareLinkLive } from "@/lib/generations/share-link-state";
import { shareSnippets } from "@/lib/share/share-snippets";
import { shareTokenFromUrl } from "@/lib/share/oembed";
import { shareLinkState } from "@/lib/share/resolve-share";
import type { GenerationRecord } from "@/lib/generations/generation-record";

const folder = mkdtempSync(path.join(os.tmpdir(), "share-links-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function clip(name: string, size: string, extra: string[] = []): Buffer {
  const file = path.join(folder, name);
  encodeTestPattern(file, { size, rate: 10, seconds: 0.5, preset: "ultrafast", args: ["-pix_fmt", "yuv420p", ...extra] });
  return readFileSync(file);
}

/** Probed with ffprobe's JSON when the system has it, and with `ffmpeg -i` (the bundled build has no ffprobe). */
const probers = [...(systemFfprobe() ? [["ffprobe", undefined] as const] : []), ["ffmpeg -i", null] as const];

/** The size every page and preview announces is the one ffmpeg measures once, when it makes the frame and the remux. */
describe.each(probers)("the measured frame size (%s)", (_name, ffprobe) => {
  const probe = (name: string) => testRunner({ ffprobe }).probe(path.join(folder, name), aMinuteFromNow());

  it("is read whether the movie box is at the start or the end of the file", async () => {
    clip("faststart.mp4", "720x960", ["-movflags", "+faststart"]);
    expect(await probe("faststart.mp4")).toMatchObject({ width: 720, height: 960 });
    clip("at-end.mp4", "1280x720");
    expect(await probe("at-end.mp4")).toMatchObject({ width: 1280, height: 720 });
  });

  it("reports a quarter-turned track as players show it", async () => {
    clip("upright.mp4", "1280x720");
    // A phone's portrait video: landscape frames and a 90° display matrix in the track header.
    const result = spawnSync(ffmpegBinary(), [
      "-hide_banner",
      "-loglevel",
      "error",
      "-y",
      "-i",
      path.join(folder, "upright.mp4"),
      "-c",
      "copy",
      "-metadata:s:v:0",
      "rotate=90",
      path.join(folder, "rotated.mp4"),
    ]);
    expect(result.status).toBe(0);
    expect(await probe("rotated.mp4")).toMatchObject({ width: 720, height: 1280 });
  });

  it("fails for a file that is not an MP4 or is cut short", async () => {
    writeFileSync(path.join(folder, "page.mp4"), "<html>not a video</html>");
    await expect(probe("page.mp4")).rejects.toThrow(/no video stream/);
    writeFileSync(path.join(folder, "cut.mp4"), clip("whole.mp4", "640x480").subarray(0, 2000));
    await expect(probe("cut.mp4")).rejects.toThrow(/no video stream/);
  });
});

describe("fitting a player into a consumer's bounds", () => {
  it("keeps the aspect, never scales up, and honours the tighter bound", () => {
    expect(fitWithin({ width: 720, height: 960 }, {})).toEqual({ width: 720, height: 960 });
    expect(fitWithin({ width: 720, height: 960 }, { maxwidth: 360 })).toEqual({ width: 360, height: 480 });
    expect(fitWithin({ width: 720, height: 960 }, { maxwidth: 600, maxheight: 400 })).toEqual({ width: 300, height: 400 });
    expect(fitWithin({ width: 720, height: 960 }, { maxwidth: 2000 })).toEqual({ width: 720, height: 960 });
  });
});

describe("share links in URLs", () => {
  const token = "AbCdEfGhIjKlMnOpQrStUv_-";
  const own = (host: string) => host === "clips.example.com" || host === "127.0.0.1:3000";
  it("recognises our share pages and players on our host names only", () => {
    expect(shareTokenFromUrl(`https://clips.example.com/s/${token}`, own)).toBe(token);
    expect(shareTokenFromUrl(`http://127.0.0.1:3000/s/${token}/embed`, own)).toBe(token);
    expect(shareTokenFromUrl(`https://clips.example.com/s/${token}/`, own)).toBe(token);
    for (const other of [
      `https://evil.example/s/${token}`,
      `https://clips.example.com/g/${token}`,
      `https://clips.example.com/s/${token}x`,
      `https://clips.example.com/s/short`,
      `https://user:pw@clips.example.com/s/${token}`,
      `ftp://clips.example.com/s/${token}`,
      `https://clips.example.com/s/${token}/poster`,
      "not a url",
    ]) {
      expect(shareTokenFromUrl(other, own), other).toBeUndefined();
    }
  });
});

describe("what a share link is pasted as", () => {
  it("is an iframe of the player, and image-links in Markdown and BBCode", () => {
    const embed = embedIframe("https://clips.example.com/s/t/embed", { width: 360, height: 480 }, 'A "title" <b>');
    expect(embed).toBe(
      '<iframe src="https://clips.example.com/s/t/embed" width="360" height="480" title="A &quot;title&quot; &lt;b&gt;" frameborder="0" allow="autoplay; fullscreen" allowfullscreen></iframe>',
    );
    const snippets = shareSnippets({ link: "https://c.example/s/t", title: "A [portrait]", poster: "https://c.example/api/share/t/poster", embed });
    expect(snippets.markdown).toBe("[![A \\[portrait\\]](https://c.example/api/share/t/poster)](https://c.example/s/t)");
    expect(snippets.bbcode).toBe("[url=https://c.example/s/t][img]https://c.example/api/share/t/poster[/img][/url]");
    expect(snippets.embed).toBe(embed);
    expect(snippets.link).toBe("https://c.example/s/t");
  });
});

describe("share link expiry", () => {
  const now = new Date("2026-11-30T10:00:00.000Z");
  it("counts each choice from now", () => {
    expect(shareExpiresAt("never", now)).toBeNull();
    expect(shareExpiresAt("1d", now)).toBe("2026-12-01T10:00:00.000Z");
    expect(shareExpiresAt("7d", now)).toBe("2026-12-07T10:00:00.000Z");
    expect(shareExpiresAt("30d", now)).toBe("2026-12-30T10:00:00.000Z");
  });

  it("makes a link dead from its expiry on, like a revoked one", () => {
    expect(isShareLinkLive({ shareToken: "t", shareExpiresAt: null }, now)).toBe(true);
    expect(isShareLinkLive({ shareToken: "t", shareExpiresAt: "2026-11-30T10:00:00.001Z" }, now)).toBe(true);
    expect(isShareLinkLive({ shareToken: "t", shareExpiresAt: "2026-11-30T10:00:00.000Z" }, now)).toBe(false);
    expect(isShareLinkLive({ shareToken: null, shareExpiresAt: null }, now)).toBe(false);
  });

  it("accepts only the offered choices", () => {
    expect(newShareLinkBodySchema.parse({})).toEqual({ expiresIn: "never" });
    expect(newShareLinkBodySchema.parse({ expiresIn: "7d" })).toEqual({ expiresIn: "7d" });
    expect(newShareLinkBodySchema.safeParse({ expiresIn: "2d" }).success).toBe(false);
    expect(newShareLinkBodySchema.safeParse({ expiresIn: "7d", extra: 1 }).success).toBe(false);
    expect(shareExpiryBodySchema.safeParse({}).success).toBe(false);
  });
});

describe("the oEmbed request", () => {
  it("takes json or xml and whole-pixel bounds", () => {
    expect(oembedQuerySchema.parse({ url: "https://x/s/t", maxwidth: "320" })).toEqual({ url: "https://x/s/t", maxwidth: 320, format: "json" });
    expect(oembedQuerySchema.safeParse({ url: "https://x/s/t", maxwidth: "wide" }).success).toBe(false);
    expect(oembedQuerySchema.safeParse({ url: "https://x/s/t", maxheight: "0" }).success).toBe(false);
    expect(oembedQuerySchema.safeParse({ url: "https://x/s/t", format: "yaml" }).success).toBe(false);
    expect(oembedQuerySchema.safeParse({}).success).toBe(false);
  });
});

describe("what a dead share link was", () => {
  const token = "T".repeat(24);
  const record = (fields: { shareToken: string | null; shareExpiresAt: string | null }) => ({ ...fields }) as unknown as GenerationRecord;
  const now = new Date("2026-12-01T12:00:00.000Z");
  const sources = (live: boolean, stored: GenerationRecord | undefined) => ({
    generations: { findShared: async () => (live ? stored : undefined) },
    records: { findByShareToken: async (asked: string) => (asked === token ? stored : undefined) },
  });

  it("tells a link that was made and has expired (gone) from one that is live or was never made", async () => {
    const expired = record({ shareToken: token, shareExpiresAt: "2026-12-01T11:59:59.000Z" });
    expect(await shareLinkState(sources(false, expired), token, now)).toBe("gone");
    const live = record({ shareToken: token, shareExpiresAt: null });
    expect(await shareLinkState(sources(true, live), token, now)).toBe("live");
    expect(await shareLinkState(sources(false, undefined), token, now)).toBe("unknown");
  });

  it("calls a live link to a video not playable yet unknown, and never looks up a malformed token", async () => {
    const unfinished = record({ shareToken: token, shareExpiresAt: null });
    expect(await shareLinkState(sources(false, unfinished), token, now)).toBe("unknown");
    const asked: string[] = [];
    const spying = {
      generations: { findShared: async (t: string) => (asked.push(t), undefined) },
      records: { findByShareToken: async (t: string) => (asked.push(t), undefined) },
    };
    expect(await shareLinkState(spying, "../../etc", now)).toBe("unknown");
    expect(asked).toEqual([]);
  });
});
