import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { GenerationDetail } from "@/components/generation/generation-detail";
import { generationIdSchema } from "@/lib/contracts/generation";
import { toGenerationView } from "@/lib/generations/to-generation-view";
import { framePath } from "@/lib/media/derivatives/derived-media";
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
  const { generations, viewContext, takes, queue } = await services();
  const record = await generations.get(parsed.data).catch(() => undefined);
  if (!record) notFound();
  const initial = await withVideoDimensions(await annotateView(toGenerationView(record, viewContext), { takes, queue }));
  return (
    <main className="mx-auto w-full max-w-6xl px-4 py-8">
      {/* The poster is the first thing on screen: fetch it before the player asks for it (React puts this in <head>). */}
      {initial.videoUrl ? <link rel="preload" as="image" href={framePath(initial.id)} fetchPriority="high" /> : null}
      <GenerationDetail id={record.id} initial={initial} />
    </main>
  );
}
