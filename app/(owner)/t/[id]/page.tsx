import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { TakesView } from "@/components/takes/takes-view";
import { takeSetIdSchema } from "@/lib/contracts/takes";
import { takeSetPagePath } from "@/lib/contracts/paths";
import { generationPresenter } from "@/lib/generations/present-generations";
import { ownerPageId } from "@/lib/server/owner-page-id";
import { services } from "@/lib/server/services";
import { toTakeSetView } from "@/lib/takes/take-service";

export const metadata: Metadata = { title: "Compare takes · Portrait Live" };

type Props = { params: Promise<{ id: string }> };

/** A set of takes side by side, with its state in the server's HTML. */
export default async function TakesPage({ params }: Props) {
  const id = await ownerPageId(params, takeSetPagePath, takeSetIdSchema);
  const sources = await services();
  const taken = await sources.takes.get(id).catch(() => undefined);
  if (!taken) notFound();
  const initial = await toTakeSetView(taken, generationPresenter(sources).present);
  return (
    <main className="mx-auto w-full max-w-6xl px-4 py-8">
      <TakesView initial={initial} />
    </main>
  );
}
