import { cachedTestPattern } from "../../bench/support/test-pattern-clip";

/** A real, playable 6 s 720P H.264 MP4, made once per machine and reused. */
export const sampleVideoPath = (): string =>
  cachedTestPattern("portrait-live-fake-upstream-sample-v1.mp4", {
    size: "720x960",
    rate: 24,
    seconds: 6,
    args: ["-pix_fmt", "yuv420p", "-movflags", "+faststart"],
  });
