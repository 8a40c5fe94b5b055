import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface Figure {
  id: string;
  what: string;
  value: number;
  unit: string;
  /** The same quantity for the baseline, measured in this run. */
  baseline: number;
  baselineWhat: string;
  target: string;
  met: boolean;
}

const format = (value: number, unit: string) => `${Number.isInteger(value) ? value : value.toFixed(value < 2 ? 3 : value < 10 ? 2 : 1)} ${unit}`.trim();

/** One table: each figure, its target, and its ratio to the baseline measured in the same run. */
export function printTable(figures: readonly Figure[]): void {
  const rows = figures.map((figure) => [
    figure.id,
    figure.what,
    format(figure.value, figure.unit),
    `${format(figure.baseline, figure.unit)} (${figure.baselineWhat})`,
    figure.baseline === 0 ? "—" : `${(figure.value / figure.baseline).toFixed(3)}×`,
    figure.target,
    figure.met ? "yes" : "NO",
  ]);
  const header = ["id", "figure", "value", "baseline (same run)", "ratio", "target", "met"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
  for (const row of rows) console.log(line(row));
}

export function saveReport(figures: readonly Figure[], root: string): string {
  const dir = path.join(root, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), figures }, null, 2));
  return file;
}
