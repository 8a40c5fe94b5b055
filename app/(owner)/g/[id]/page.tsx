import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { GenerationDetail } from "@/components/generation/generation-detail";
import { generationIdSchema } from "@/lib/contracts/generation";
import { generationViewFor } from "@/lib/generations/generation-view-for";
import { framePath } from "@/lib/media/derivatives/derived-media";
import { requireOwnerPage } from "@/lib/security/access";
import { services } from "@/lib/server/services";

export const metadata: Metadata = { title: "Your video · Portrait Live" };

type Props = { params: Promise<{ id: string }> };

/** A generation's own address: a reload or a second tab picks up where it is. */
export default async function GenerationPage({ params }: Props) {
  const { id } = await params;
  await requireOwnerPage(`/g/${id}`);
  const parsed = generationIdSchema.safeParse(id);
  if (!parsed.success) notFound();
  const sources = await services();
  const record = await sources.generations.get(parsed.data).catch(() => undefined);
  if (!record) notFound();
  const initial = await generationViewFor(record, sources);
  return (
    <main className="mx-auto w-full max-w-6xl px-4 py-8">
      {/* The poster is the first thing on screen: fetch it before the player asks for it (React puts this in <head>). */}
      {initial.videoUrl ? <link rel="preload" as="image" href={framePath(initial.id)} fetchPriority="high" /> : null}
      <GenerationDetail id={record.id} initial={initial} />
    </main>
  );
}
