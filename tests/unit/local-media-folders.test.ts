import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createLocalMediaStore } from "@/lib/media/local-media-store";

describe("the local media folder's per-generation folders", () => {
  it("a generation's derived folder goes with its last file; the shared top folders stay", async () => {
    const root = path.join(mkdtempSync(path.join(os.tmpdir(), "local-media-folders-")), "media");
    const media = createLocalMediaStore(root);
    await media.putBuffer("derived/gen-a/poster.jpg", Buffer.from([0xff, 0xd8, 0xff]));
    await media.putBuffer("derived/gen-a/loop.gif", Buffer.from("GIF89a"));
    await media.putBuffer("videos/gen-a.mp4", Buffer.from("video"));

    await media.delete("derived/gen-a/poster.jpg");
    expect(readdirSync(path.join(root, "derived", "gen-a"))).toEqual(["loop.gif"]);
    await media.delete("derived/gen-a/loop.gif");
    expect(existsSync(path.join(root, "derived", "gen-a"))).toBe(false);
    expect(existsSync(path.join(root, "derived"))).toBe(true);
    // Deleting again, with the folder gone, is still not an error.
    await media.delete("derived/gen-a/loop.gif");

    await media.delete("videos/gen-a.mp4");
    expect(readdirSync(path.join(root, "videos"))).toEqual([]);
  });
});
