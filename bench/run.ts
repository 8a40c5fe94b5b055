import { spawnSync } from "node:child_process";
import path from "node:path";
import { printTable, saveReport, type Figure } from "./report";
import { measureBoundedWork } from "./scenarios/bounded-work";
import { measureCompletionLatency } from "./scenarios/completion-latency";
import { measureFirstLoad } from "./scenarios/first-load";
import { measureHostileLoop } from "./scenarios/hostile-loop";
import { measureMediaStreams } from "./scenarios/media-streams";
import { measureSharePhone } from "./scenarios/share-phone";
import { measureStatusPolling } from "./scenarios/status-polling";
import { measureTakeSets } from "./scenarios/take-sets";
import { measureUploadFirst } from "./scenarios/upload-first";
import { measureUploadPayload } from "./scenarios/upload-payload";

const ROOT = path.resolve(import.meta.dirname, "..");

const SCENARIOS: Array<{ name: string; ids: string[]; measure: () => Promise<Figure[]> }> = [
  { name: "upload payload", ids: ["P1"], measure: measureUploadPayload },
  { name: "status polling", ids: ["P2", "P3"], measure: measureStatusPolling },
  { name: "completion latency", ids: ["P4"], measure: measureCompletionLatency },
  { name: "media streams", ids: ["P5"], measure: measureMediaStreams },
  { name: "first load and start", ids: ["P6"], measure: measureFirstLoad },
  { name: "upload first", ids: ["P7", "P8", "P9", "P10"], measure: measureUploadFirst },
  { name: "take sets", ids: ["P11"], measure: measureTakeSets },
  { name: "share on a phone", ids: ["P12"], measure: measureSharePhone },
  { name: "hostile loop", ids: ["P13"], measure: measureHostileLoop },
  { name: "bounded image and stream work", ids: ["P14", "P15", "P16", "P17"], measure: measureBoundedWork },
];

/**
 * `npm run bench`: builds, measures every figure in one run, prints one table.
 * `npm run bench -- P8 P10`: only the scenarios that measure those figures.
 */
async function main() {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    console.log("npm run bench [-- FIGURE...]   builds, then measures every figure, or only the scenarios measuring FIGURE (e.g. P4)");
    for (const { name, ids } of SCENARIOS) console.log(`  ${ids.join(", ").padEnd(18)} ${name}`);
    return;
  }
  const only = process.argv.slice(2).map((id) => id.toUpperCase());
  const scenarios = only.length ? SCENARIOS.filter((scenario) => scenario.ids.some((id) => only.includes(id))) : SCENARIOS;
  if (scenarios.length === 0) throw new Error(`No scenario measures ${only.join(", ")}.`);
  console.log("Building…");
  const build = spawnSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], {
    cwd: ROOT,
    stdio: "ignore",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) throw new Error("next build failed");

  const figures: Figure[] = [];
  for (const { name, ids, measure } of scenarios) {
    console.log(`Measuring ${name} (${ids.join(", ")})…`);
    figures.push(...(await measure()));
  }
  console.log();
  printTable(figures);
  console.log(`\nSaved ${path.relative(ROOT, saveReport(figures, ROOT))}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
