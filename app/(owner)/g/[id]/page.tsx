import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { GenerationDetail } from "@/components/generation/generation-detail";
import { generationIdSchema } from "@/lib/contracts/generation";
import { generationPresenter } from "@/lib/generations/present-generations";
import { inlinePoster } from "@/lib/media/derivatives/inline-poster";
import { generationPagePath, smallFramePath } from "@/lib/contracts/paths";
import { ownerPageId } from "@/lib/server/owner-page-id";
import { services } from "@/lib/server/services";

export const metadata: Metadata = { title: "Your video · Portrait Live" };

type Props = { params: Promise<{ id: string }> };

/** A generation's own address: a reload or a second tab picks up where it is. */
export default async function GenerationPage({ params }: Props) {
  const id = await ownerPageId(params, generationPagePath, generationIdSchema);
  const sources = await services();
  const record = await sources.generations.get(id).catch(() => undefined);
  if (!record) notFound();
  const [initial, poster] = await Promise.all([generationPresenter(sources).presentOne(record), inlinePoster(sources.derivatives, sources.media, record.id)]);
  return (
    <main className="mx-auto w-full max-w-6xl px-4 py-8">
      {/* The poster is the first thing on screen: inside the page once made, else fetched early (React puts this in <head>). */}
      {initial.videoUrl && !poster ? <link rel="preload" as="image" href={smallFramePath(initial.id)} fetchPriority="high" /> : null}
      <GenerationDetail id={record.id} initial={initial} inlinePoster={poster} />
    </main>
  );
}
