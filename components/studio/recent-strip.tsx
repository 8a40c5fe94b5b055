"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatAge, STATUS_LABEL } from "@/components/history/format";
import { generationsApi } from "@/lib/client/generations-api";
import { isFinalStatus } from "@/lib/contracts/generation";
import { generationPagePath } from "@/lib/contracts/paths";
import { PortraitStill } from "@/components/ui/portrait-still";

/** The latest few generations, each a link back to its page. */
export function RecentStrip() {
  const recent = useQuery({
    queryKey: ["generations", "recent"],
    queryFn: () => generationsApi.list({ limit: 8 }),
    refetchInterval: (query) => (query.state.data?.items.some((item) => !isFinalStatus(item.status)) ? 3000 : false),
  });
  const items = recent.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="recent-heading" className="flex flex-col gap-3">
      <div className="flex items-baseline justify-between">
        <h2 id="recent-heading" className="text-lg font-semibold text-neutral-900 dark:text-neutral-50">
          Recent
        </h2>
        <Link href="/history" className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          All videos
        </Link>
      </div>
      <ul className="flex gap-3 overflow-x-auto pb-2" data-testid="recent-strip">
        {items.map((item) => (
          <li key={item.id} className="shrink-0">
            <Link
              href={generationPagePath(item.id)}
              className="flex w-28 flex-col gap-1 rounded-xl focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
            >
              <PortraitStill
                src={item.inputUrl}
                alt={item.prompt ? `Portrait for: ${item.prompt}` : "Portrait"}
                loading="lazy"
                className="aspect-[3/4] w-full rounded-xl object-cover"
              />
              <span className="text-xs font-medium text-neutral-800 dark:text-neutral-200">{STATUS_LABEL[item.status]}</span>
              <span className="text-xs text-neutral-600 dark:text-neutral-400">{formatAge(item.createdAt)}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
