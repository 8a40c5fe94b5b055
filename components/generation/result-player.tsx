import type { GenerationView } from "@/lib/contracts/generation";
import { smallFramePath } from "@/lib/contracts/paths";
import { PortraitStill } from "@/components/ui/portrait-still";

/** Narrow screens get the light rendition; Chromium honours `media` on `<source>` again since 120. */
export const LIGHT_MEDIA = "(max-width: 600px)";

/** The video once it exists; until then the cropped portrait it starts from. */
export function ResultPlayer({ generation, inlinePoster }: { generation: GenerationView; inlinePoster?: string | null }) {
  const { videoWidth: width, videoHeight: height } = generation;
  return (
    <div className="flex min-h-64 items-center justify-center overflow-hidden rounded-3xl bg-neutral-900">
      {generation.videoUrl ? (
        <video
          key={generation.videoUrl}
          poster={inlinePoster ?? smallFramePath(generation.id)}
          // The real size, so the page keeps the player's place before the first frame.
          width={width ?? undefined}
          height={height ?? undefined}
          style={width && height ? { aspectRatio: `${width} / ${height}` } : undefined}
          autoPlay
          loop
          muted
          playsInline
          controls
          preload="auto"
          className="h-auto max-h-[75dvh] w-auto max-w-full"
          aria-label="Your portrait video"
          data-testid="result-video"
        >
          {generation.lightVideoUrl ? <source src={generation.lightVideoUrl} type="video/mp4" media={LIGHT_MEDIA} /> : null}
          <source src={generation.webVideoUrl ?? generation.videoUrl} type="video/mp4" />
        </video>
      ) : (
        <PortraitStill
          src={generation.inputUrl}
          alt="Your portrait, as it was sent"
          className={`max-h-[75dvh] w-auto max-w-full ${generation.status === "failed" ? "opacity-60 grayscale" : "motion-safe:animate-pulse"}`}
        />
      )}
    </div>
  );
}
