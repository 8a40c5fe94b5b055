import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * The container image as files: the Dockerfile's stages and instructions, and the list of
 * what its final stage copies (image-files.json). The static check and the standalone test
 * both read them from here, so what is tested is what the image gets.
 */

export const ROOT = path.resolve(import.meta.dirname, "../..");

export interface ImageFile {
  from: string;
  to: string;
}

interface ImageManifest {
  /** The build stage's command that makes the standalone output. */
  build: string;
  copy: ImageFile[];
}
const manifest = () => JSON.parse(readFileSync(path.join(ROOT, "image-files.json"), "utf8")) as ImageManifest;

/** The command that builds the standalone output, e.g. `node scripts/build-standalone.mjs`. */
export const imageBuildCommand = () => manifest().build;

/** image-files.json's copy list, with `{distDir}` set (".next" in the image; the standalone test builds elsewhere). */
export function imageFiles(distDir = ".next"): ImageFile[] {
  const fill = (value: string) => value.split("{distDir}").join(distDir);
  return manifest().copy.map(({ from, to }) => ({ from: fill(from), to: fill(to) }));
}

/** The Dockerfile line each entry becomes (WORKDIR is /app in both the build and the final stage). */
export const copyInstruction = ({ from, to }: ImageFile) => `--from=build /app/${from} /app/${to === "." ? "" : to}`;

export interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
}

export interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Enough of the Dockerfile syntax for the checks: comments, `\` continuations, stages. */
export function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (pending === "" && (line === "" || line.startsWith("#"))) continue;
    if (line.startsWith("#")) continue; // a comment inside a continued instruction
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push(`${pending}${line}`.trim());
    pending = "";
  }
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword = "", args = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === "FROM") {
      const [image = "", as, name] = args.split(/\s+/);
      stages.push({ image, name: as?.toUpperCase() === "AS" ? name : undefined, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage) stage.instructions.push({ keyword: upper, args });
  }
  return stages;
}

export function readDockerfile(): Stage[] {
  return parseDockerfile(readFileSync(path.join(ROOT, "Dockerfile"), "utf8"));
}

/** `ENV A=1 B="two"` (the key=value form only, which the Dockerfile uses). */
export function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of stage.instructions) {
    if (keyword !== "ENV") continue;
    for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) {
      env[match[1]!] = match[2]!.replace(/^"(.*)"$/, "$1");
    }
  }
  return env;
}

/** The final stage's CMD in exec form: the argv the container starts. */
export function commandArgv(stage: Stage): string[] {
  const command = stage.instructions.filter((instruction) => instruction.keyword === "CMD").at(-1);
  if (!command || !command.args.trim().startsWith("[")) throw new Error("the final stage has no CMD in exec form");
  return JSON.parse(command.args) as string[];
}

/** The final stage's HEALTHCHECK command in exec form: the argv Docker runs. */
export function healthcheckArgv(stage: Stage): string[] {
  const healthcheck = stage.instructions.find((instruction) => instruction.keyword === "HEALTHCHECK");
  const json = healthcheck ? /\bCMD\s+(\[.*\])\s*$/.exec(healthcheck.args)?.[1] : undefined;
  if (!json) throw new Error("the final stage has no HEALTHCHECK CMD in exec form");
  return JSON.parse(json) as string[];
}
