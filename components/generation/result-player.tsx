import type { GenerationView } from "@/lib/contracts/generation";

/** The video once it exists; until then the cropped portrait it starts from. */
export function ResultPlayer({ generation }: { generation: GenerationView }) {
  return (
    <div className="flex min-h-64 items-center justify-center overflow-hidden rounded-3xl bg-neutral-900">
      {generation.videoUrl ? (
        <video
          key={generation.videoUrl}
          src={generation.videoUrl}
          poster={generation.posterUrl}
          autoPlay
          loop
          muted
          playsInline
          controls
          className="max-h-[75dvh] w-auto max-w-full"
          aria-label="Your portrait video"
          data-testid="result-video"
        />
      ) : (
        // eslint-disable-next-line @next/next/no-img-element -- our own stored poster
        <img
          src={generation.posterUrl}
          alt="Your portrait, as it was sent"
          className={`max-h-[75dvh] w-auto max-w-full ${generation.status === "failed" ? "opacity-60 grayscale" : "motion-safe:animate-pulse"}`}
        />
      )}
    </div>
  );
}
