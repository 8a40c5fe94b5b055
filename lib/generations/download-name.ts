import type { GenerationRecord } from "./generation-record";

/** "portrait-live-2026-11-24-she-smiles-and-turns.mp4": readable, ASCII, header-safe. */
export function downloadFileName(record: Pick<GenerationRecord, "createdAt" | "prompt" | "id">): string {
  const date = record.createdAt.slice(0, 10);
  const words = record.prompt
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean)
    .slice(0, 6)
    .join("-")
    .slice(0, 48);
  return `portrait-live-${date}-${words || record.id.slice(0, 8)}.mp4`;
}
