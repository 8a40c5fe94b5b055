import "server-only";
import type { GenerationView } from "@/lib/contracts/generation";
import { services } from "@/lib/server/services";

/** The stored video's real size (read from the file once), or null until it has been read. */
export async function videoDimensionsFor(generationId: string): Promise<{ width: number; height: number } | null> {
  return (await services()).derivatives.videoDimensions(generationId);
}

/** Adds the video's size to a finished generation's view when it is known. */
export async function withVideoDimensions(view: GenerationView): Promise<GenerationView> {
  if (view.status !== "succeeded") return view;
  const size = await videoDimensionsFor(view.id);
  return size ? { ...view, videoWidth: size.width, videoHeight: size.height } : view;
}
