import "server-only";
import type { GenerationView } from "@/lib/contracts/generation";
import { services } from "@/lib/server/services";

/** The stored video's real size (read from the file once), or null until it has been read. */
export async function videoDimensionsFor(generationId: string): Promise<{ width: number; height: number } | null> {
  return (await services()).derivatives.videoDimensions(generationId);
}

export interface DerivedMediaView {
  videoWidth: number | null;
  videoHeight: number | null;
  /** Index-first remux and light rendition: linked only once made, so a URL never changes files. */
  webVideoUrl: string | null;
  lightVideoUrl: string | null;
}

/** What the player needs of a result's derived media; `videoBase` is the video route (owner's or shared). */
export async function derivedMediaFor(generationId: string, videoBase: string): Promise<DerivedMediaView> {
  const { derivatives } = await services();
  const [size, jobs] = await Promise.all([derivatives.videoDimensions(generationId), derivatives.listFor(generationId)]);
  const ready = (kind: "web" | "light") => jobs.some((job) => job.kind === kind && job.state === "ready");
  return {
    videoWidth: size?.width ?? null,
    videoHeight: size?.height ?? null,
    webVideoUrl: ready("web") ? `${videoBase}?rendition=web` : null,
    lightVideoUrl: ready("light") ? `${videoBase}?rendition=light` : null,
  };
}

/** Adds the derived media (size, renditions) to a finished generation's view. */
export async function withVideoDimensions(view: GenerationView): Promise<GenerationView> {
  if (view.status !== "succeeded" || !view.videoUrl) return view;
  return { ...view, ...(await derivedMediaFor(view.id, view.videoUrl)) };
}
