import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LIGHT_MEDIA } from "@/components/generation/result-player";
import { LoopDownloads } from "@/components/share/loop-downloads";
import { sharedLoopsPath, sharedSmallFramePath, sharedVideoPath } from "@/lib/contracts/paths";
import { inlinePoster } from "@/lib/media/derivatives/inline-poster";
import { services } from "@/lib/server/services";
import { PROVIDER_NAME, type ShareCard } from "@/lib/share/share-card";
import { loadSharedVideo } from "./load-shared-generation";

type Props = { params: Promise<{ token: string }> };

/**
 * Preview tags for unfurlers: Open Graph (Facebook, Discord, Slack, Telegram, iMessage,
 * WhatsApp, LinkedIn), the X player card, and oEmbed discovery (Notion, blogs). Every URL
 * is absolute on the public origin. The og:video group is rendered by the page (below)
 * so that og:video:url sits inside it, which Next's openGraph.videos cannot do.
 */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { token } = await params;
  const shared = await loadSharedVideo(token);
  if (!shared) return { title: "Video not found · Portrait Live", robots: { index: false } };
  const { card } = shared;
  const image = { url: card.frameUrl, width: card.width, height: card.height, type: "image/jpeg", alt: imageAlt(card) };
  return {
    title: `${card.title} · ${PROVIDER_NAME}`,
    description: card.description,
    robots: { index: false },
    alternates: {
      canonical: card.pageUrl,
      types: { "application/json+oembed": [{ url: card.oembedUrl, title: `${card.title} · ${PROVIDER_NAME}` }] },
    },
    openGraph: {
      type: "video.other",
      title: card.title,
      description: card.description,
      url: card.pageUrl,
      siteName: PROVIDER_NAME,
      images: [card.secure ? { ...image, secureUrl: card.frameUrl } : image],
    },
    // X plays only players served over https; on http the card falls back to the large poster.
    twitter: card.secure
      ? {
          card: "player",
          title: card.title,
          description: card.description,
          players: [{ playerUrl: card.embedUrl, streamUrl: card.videoUrl, width: card.width, height: card.height }],
          images: [{ url: card.frameUrl, alt: imageAlt(card) }],
        }
      : { card: "summary_large_image", title: card.title, description: card.description, images: [{ url: card.frameUrl, alt: imageAlt(card) }] },
    other: card.secure ? { "twitter:player:stream:content_type": "video/mp4" } : {},
  };
}

const imageAlt = (card: ShareCard) => `A frame of the video: ${card.description}`;

/** og:video with its structured properties in one run, as the Open Graph protocol reads them. */
function VideoTags({ card }: { card: ShareCard }) {
  return (
    <>
      <meta property="og:video" content={card.videoUrl} />
      <meta property="og:video:url" content={card.videoUrl} />
      {card.secure ? <meta property="og:video:secure_url" content={card.videoUrl} /> : null}
      <meta property="og:video:type" content="video/mp4" />
      <meta property="og:video:width" content={String(card.width)} />
      <meta property="og:video:height" content={String(card.height)} />
    </>
  );
}

export default async function SharedVideoPage({ params }: Props) {
  const { token } = await params;
  const shared = await loadSharedVideo(token);
  if (!shared) notFound();
  const { record, card, derived } = shared;
  const created = new Date(record.createdAt);
  const { derivatives, media } = await services();
  const [loopsAllowed, inline] = await Promise.all([derivatives.shareLoops(record.id), inlinePoster(derivatives, media, record.id)]);
  return (
    <main className="mx-auto flex min-h-dvh max-w-3xl flex-col items-center gap-6 px-4 py-10">
      <VideoTags card={card} />
      {/* The poster is the first thing a visitor sees: inside the page once made, else fetched early (React puts this in <head>). */}
      {inline ? null : <link rel="preload" as="image" href={sharedSmallFramePath(token)} fetchPriority="high" />}
      <video
        className="h-auto max-h-[75dvh] w-auto max-w-full rounded-2xl bg-black shadow-xl"
        poster={inline ?? sharedSmallFramePath(token)}
        width={card.width}
        height={card.height}
        style={{ aspectRatio: `${card.width} / ${card.height}` }}
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
        {!record.hidePrompt && record.prompt ? <p className="text-lg text-neutral-800 dark:text-neutral-100">“{record.prompt}”</p> : null}
        <p className="mt-2 text-sm text-neutral-600 dark:text-neutral-400">
          Made with Portrait Live on <time dateTime={record.createdAt}>{created.toLocaleDateString("en", { dateStyle: "long", timeZone: "UTC" })}</time>
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
