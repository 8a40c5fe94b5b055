import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LIGHT_MEDIA } from "@/components/generation/result-player";
import { LoopDownloads } from "@/components/share/loop-downloads";
import { sharedFramePath, sharedLoopsPath } from "@/lib/media/derivatives/derived-media";
import { derivedMediaFor } from "@/lib/media/derivatives/video-dimensions";
import { services } from "@/lib/server/services";
import { sharedPosterPath, sharedVideoPath } from "@/lib/generations/generation-view";
import { publicOrigin } from "@/lib/server/public-origin";
import { outputSize } from "@/lib/upstream/output-size";
import { loadSharedGeneration } from "./shared-generation";

type Props = { params: Promise<{ token: string }> };

const TITLE = "A portrait, brought to life";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { token } = await params;
  const shared = await loadSharedGeneration(token);
  if (!shared) return { title: "Video not found · Portrait Live", robots: { index: false } };
  const origin = await publicOrigin();
  const video = outputSize(shared.inputWidth, shared.inputHeight);
  const description = shared.hidePrompt || !shared.prompt ? "A 6-second video made with Portrait Live." : shared.prompt.slice(0, 200);
  const pageUrl = `${origin}/s/${token}`;
  const posterUrl = `${origin}${sharedPosterPath(token)}`;
  return {
    title: `${TITLE} · Portrait Live`,
    description,
    robots: { index: false },
    openGraph: {
      type: "video.other",
      title: TITLE,
      description,
      url: pageUrl,
      siteName: "Portrait Live",
      images: [{ url: posterUrl, width: shared.inputWidth, height: shared.inputHeight, type: "image/jpeg" }],
      videos: [{ url: `${origin}${sharedVideoPath(token)}`, type: "video/mp4", width: video.width, height: video.height }],
    },
    twitter: { card: "summary_large_image", title: TITLE, description, images: [posterUrl] },
  };
}

export default async function SharedVideoPage({ params }: Props) {
  const { token } = await params;
  const shared = await loadSharedGeneration(token);
  if (!shared) notFound();
  const created = new Date(shared.createdAt);
  const { derivatives } = await services();
  const [derived, loopsAllowed] = await Promise.all([derivedMediaFor(shared.id, sharedVideoPath(token)), derivatives.shareLoops(shared.id)]);
  const size = derived.videoWidth && derived.videoHeight ? { width: derived.videoWidth, height: derived.videoHeight } : null;
  return (
    <main className="mx-auto flex min-h-dvh max-w-3xl flex-col items-center gap-6 px-4 py-10">
      {/* The poster is the first thing a visitor sees: fetch it before the player asks for it (React puts this in <head>). */}
      <link rel="preload" as="image" href={sharedFramePath(token)} fetchPriority="high" />
      <video
        className="h-auto max-h-[75dvh] w-auto max-w-full rounded-2xl bg-black shadow-xl"
        poster={sharedFramePath(token)}
        width={size?.width}
        height={size?.height}
        style={size ? { aspectRatio: `${size.width} / ${size.height}` } : undefined}
        preload="auto"
        controls
        autoPlay
        muted
        loop
        playsInline
        aria-label="Shared portrait video"
        data-testid="shared-video"
      >
        {derived.lightVideoUrl ? <source src={derived.lightVideoUrl} type="video/mp4" media={LIGHT_MEDIA} /> : null}
        <source src={derived.webVideoUrl ?? sharedVideoPath(token)} type="video/mp4" />
      </video>
      {loopsAllowed ? <LoopDownloads base={sharedLoopsPath(token)} /> : null}
      <div className="w-full text-center">
        {!shared.hidePrompt && shared.prompt ? (
          <p className="text-lg text-neutral-800 dark:text-neutral-100">“{shared.prompt}”</p>
        ) : null}
        <p className="mt-2 text-sm text-neutral-600 dark:text-neutral-400">
          Made with Portrait Live on{" "}
          <time dateTime={shared.createdAt}>{created.toLocaleDateString("en", { dateStyle: "long", timeZone: "UTC" })}</time>
        </p>
      </div>
      <Link
        href="/"
        className="rounded-full bg-neutral-900 px-5 py-2 text-sm font-medium text-white hover:bg-neutral-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-neutral-900 dark:bg-white dark:text-neutral-900 dark:hover:bg-neutral-200"
      >
        Animate your own portrait
      </Link>
    </main>
  );
}
