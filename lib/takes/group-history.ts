import type { GenerationView } from "@/lib/contracts/generation";

export type HistoryEntry = { kind: "single"; generation: GenerationView } | { kind: "set"; setId: string; takes: GenerationView[] };

/**
 * History's cards: a set of takes becomes one card where its newest take would be, its
 * favourite first and the rest in the order they were asked for; single generations stay as they are.
 */
export function groupHistory(items: readonly GenerationView[]): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  const sets = new Map<string, GenerationView[]>();
  for (const item of items) {
    if (!item.takeSetId) {
      entries.push({ kind: "single", generation: item });
      continue;
    }
    const takes = sets.get(item.takeSetId);
    if (takes) takes.push(item);
    else {
      const fresh = [item];
      sets.set(item.takeSetId, fresh);
      entries.push({ kind: "set", setId: item.takeSetId, takes: fresh });
    }
  }
  for (const entry of entries) {
    if (entry.kind !== "set") continue;
    // Newest first from the list; a set's takes were made a millisecond apart in their asked order.
    entry.takes.sort((a, b) => Number(Boolean(b.favourite)) - Number(Boolean(a.favourite)) || a.createdAt.localeCompare(b.createdAt));
  }
  return entries;
}
