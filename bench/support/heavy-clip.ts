import { statSync } from "node:fs";
import { cachedTestPattern } from "./test-pattern-clip";

/**
 * A provider-sized result made at run time with the shipped ffmpeg (nothing downloaded):
 * 6 s of 720×1280 test pattern with moving grain at ~6.7 Mbit/s (~5 MB), index (moov) at
 * the end as ffmpeg writes it by default.
 */
export function heavyClip(): { file: string; bytes: number } {
  const file = cachedTestPattern("portrait-live-bench-heavy-720p-v1.mp4", {
    size: "720x1280",
    rate: 25,
    seconds: 6,
    args: ["-vf", "noise=alls=24:allf=t+u,format=yuv420p", "-b:v", "6700k", "-maxrate", "6700k", "-bufsize", "3000k", "-f", "mp4"],
  });
  return { file, bytes: statSync(file).size };
}
