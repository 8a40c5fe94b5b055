import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { GenerationDetail } from "@/components/generation/generation-detail";
import { generationIdSchema } from "@/lib/contracts/generation";
import { toGenerationView } from "@/lib/generations/to-generation-view";
import { smallFramePath } from "@/lib/media/derivatives/media-paths";
import { inlinePoster } from "@/lib/media/derivatives/inline-poster";
import { withVideoDimensions } from "@/lib/media/derivatives/video-dimensions";
import { requireOwnerPage } from "@/lib/security/access";
import { services } from "@/lib/server/services";
import { annotateView } from "@/lib/takes/annotate-views";

export const metadata: Metadata = { title: "Your video · Portrait Live" };

type Props = { params: Promise<{ id: string }> };

/** A generation's own address: a reload or a second tab picks up where it is. */
export default async function GenerationPage({ params }: Props) {
  const { id } = await params;
  await requireOwnerPage(`/g/${id}`);
  const parsed = generationIdSchema.safeParse(id);
  if (!parsed.success) notFound();
  const { generations, viewContext, takes, queue, derivatives, media } = await services();
  const record = await generations.get(parsed.data).catch(() => undefined);
  if (!record) notFound();
  const [initial, poster] = await Promise.all([
    withVideoDimensions(await annotateView(toGenerationView(record, viewContext), { takes, queue })),
    inlinePoster(derivatives, media, record),
  ]);
  return (
    <main className="mx-auto w-full max-w-6xl px-4 py-8">
      {/* The poster is the first thing on screen: inside the page once made, else fetched early (React puts this in <head>). */}
      {initial.videoUrl && !poster ? <link rel="preload" as="image" href={smallFramePath(initial.id)} fetchPriority="high" /> : null}
      <GenerationDetail id={record.id} initial={initial} inlinePoster={poster} />
    </main>
  );
}
