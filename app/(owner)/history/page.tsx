import type { Metadata } from "next";
import Link from "next/link";
import { HistoryView } from "@/components/history/history-view";
import { HISTORY_PAGE_SIZE } from "@/components/history/page-size";
import type { GenerationList } from "@/lib/contracts/generation";
import { generationPresenter } from "@/lib/generations/present-generations";
import { requireOwnerPage } from "@/lib/server/owner";
import { services } from "@/lib/server/services";

export const metadata: Metadata = { title: "History · Portrait Live" };

export default async function HistoryPage() {
  await requireOwnerPage("/history");
  // The newest videos come with the page, so it shows them before any script runs.
  const sources = await services();
  const first = await sources.generations.list({ limit: HISTORY_PAGE_SIZE });
  const initial: GenerationList = { items: await generationPresenter(sources).present(first.items), nextCursor: first.nextCursor };
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
