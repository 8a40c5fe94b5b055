import "server-only";
import { z } from "zod";
import type { VideoFacts } from "./derivative-runner";
import { runBounded, type RunLimits } from "@/lib/ffmpeg/run-bounded";

const probeSchema = z.object({
  streams: z.array(
    z.object({
      codec_type: z.string().optional(),
      codec_name: z.string().optional(),
      width: z.number().int().optional(),
      height: z.number().int().optional(),
      tags: z.record(z.string(), z.string()).optional(),
      side_data_list: z.array(z.object({ rotation: z.number().optional() }).loose()).optional(),
    }),
  ),
  format: z.object({ duration: z.string().optional() }).optional(),
});

/** The facts of a stored video from `ffprobe -of json`. */
export async function probeWithFfprobe(ffprobe: string, input: string, limits: RunLimits): Promise<VideoFacts> {
  const { stdout, stderr, code } = await runBounded(ffprobe, ["-v", "error", "-of", "json", "-show_format", "-show_streams", input], limits);
  if (code !== 0) throw new Error(`ffprobe found no video stream in the file (exit ${code}: ${stderr.trim().slice(-300)})`);
  const probed = probeSchema.parse(JSON.parse(stdout));
  const videos = probed.streams.filter((stream) => stream.codec_type === "video");
  const first = videos[0];
  if (!first?.width || !first.height) throw new Error("ffprobe found no video stream in the file");
  const rotation = Number(first.tags?.rotate ?? first.side_data_list?.find((side) => side.rotation !== undefined)?.rotation ?? 0);
  const duration = Number(probed.format?.duration);
  return turned(
    {
      width: first.width,
      height: first.height,
      durationSeconds: Number.isFinite(duration) ? duration : 0,
      codec: first.codec_name ?? "unknown",
      videoStreams: videos.length,
    },
    rotation,
  );
}

/**
 * Without ffprobe (the bundled build has none): the same facts from what `ffmpeg -i` prints.
 * Its wording is not a stable interface, so ffprobe is preferred whenever there is one.
 */
export async function probeWithFfmpeg(ffmpeg: string, input: string, limits: RunLimits): Promise<VideoFacts> {
  const { stderr } = await runBounded(ffmpeg, ["-hide_banner", "-i", input], limits);
  return parseFfmpegInfo(stderr);
}

export function parseFfmpegInfo(stderr: string): VideoFacts {
  const videos = [...stderr.matchAll(/Stream #\d+:\d+.*?: Video: (\w+)[^\n]*?, (\d{2,5})x(\d{2,5})[\s,[]/g)];
  const first = videos[0];
  if (!first) throw new Error("ffmpeg found no video stream in the file");
  const duration = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(stderr);
  const durationSeconds = duration ? Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]) : 0;
  const rotate = /rotate\s*:\s*(-?\d+)/.exec(stderr);
  return turned(
    { width: Number(first[2]), height: Number(first[3]), durationSeconds, codec: first[1] ?? "unknown", videoStreams: videos.length },
    rotate ? Number(rotate[1]) : 0,
  );
}

/** A rotated stream (phone-style metadata) is shown turned: the displayed size swaps its sides. */
function turned(facts: VideoFacts, rotation: number): VideoFacts {
  return Math.abs(rotation) % 180 === 90 ? { ...facts, width: facts.height, height: facts.width } : facts;
}
