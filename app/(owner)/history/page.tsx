import type { Metadata } from "next";
import Link from "next/link";
import { HistoryView } from "@/components/history/history-view";
import { HISTORY_PAGE_SIZE } from "@/components/history/page-size";
import type { GenerationList } from "@/lib/contracts/generation";
import { toGenerationView } from "@/lib/generations/to-generation-view";
import { requireOwnerPage } from "@/lib/server/owner";
import { services } from "@/lib/server/services";
import { annotateViews } from "@/lib/takes/annotate-views";

export const metadata: Metadata = { title: "History · Portrait Live" };

export default async function HistoryPage() {
  await requireOwnerPage("/history");
  // The newest videos come with the page, so it shows them before any script runs.
  const { generations, viewContext, takes, queue } = await services();
  const first = await generations.list({ limit: HISTORY_PAGE_SIZE });
  const items = await annotateViews(
    first.items.map((record) => toGenerationView(record, viewContext)),
    { takes, queue },
  );
  const initial: GenerationList = { items, nextCursor: first.nextCursor };
  return (
    <main className="mx-auto flex w-full max-w-6xl flex-col gap-6 px-4 py-8">
      <div className="flex items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold text-neutral-900 dark:text-neutral-50">Your videos</h1>
        <Link
          href="/"
          className="rounded-lg bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          Animate a portrait
        </Link>
      </div>
      <HistoryView initial={initial} />
    </main>
  );
}
