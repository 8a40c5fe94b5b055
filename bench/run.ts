import { spawnSync } from "node:child_process";
import path from "node:path";
import { printTable, saveReport, type Figure } from "./report";
import { measureCompletionLatency } from "./scenarios/completion-latency";
import { measureFirstLoad } from "./scenarios/first-load";
import { measureMediaStreams } from "./scenarios/media-streams";
import { measureStatusPolling } from "./scenarios/status-polling";
import { measureUploadPayload } from "./scenarios/upload-payload";

const ROOT = path.resolve(import.meta.dirname, "..");

/** `npm run bench`: builds, measures every figure in one run, prints one table. */
async function main() {
  console.log("Building…");
  const build = spawnSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], {
    cwd: ROOT,
    stdio: "ignore",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) throw new Error("next build failed");

  const scenarios: Array<[string, () => Promise<Figure[]>]> = [
    ["upload payload (P1)", measureUploadPayload],
    ["status polling (P2, P3)", measureStatusPolling],
    ["completion latency (P4)", measureCompletionLatency],
    ["media streams (P5)", measureMediaStreams],
    ["first load and start (P6)", measureFirstLoad],
  ];
  const figures: Figure[] = [];
  for (const [name, measure] of scenarios) {
    console.log(`Measuring ${name}…`);
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
