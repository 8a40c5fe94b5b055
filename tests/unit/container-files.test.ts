import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { envSchema } from "@/lib/env";
import { ROOT, commandArgv, copyInstruction, healthcheckArgv, imageBuildCommand, imageFiles, readDockerfile, stageEnv } from "../support/container-image";

/**
 * Static checks of the container files that cannot be run here (no container runtime):
 * the Dockerfile, compose.yaml, compose.sqlite.yaml, .dockerignore and .env.example must
 * agree with the app's configuration schema, its health route and each other.
 */

const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const schemaVariables = Object.keys(envSchema.shape).sort();
/** Read by Node or Next.js themselves, not by the app's schema. */
const RUNTIME_VARIABLES = new Set(["NODE_ENV", "NEXT_TELEMETRY_DISABLED"]);

const stages = readDockerfile();
const finalStage = stages.at(-1)!;
const finalEnv = stageEnv(finalStage);
const finalArgs = (keyword: string) => finalStage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

interface ComposeService {
  build?: unknown;
  image?: string;
  environment?: Record<string, string>;
  env_file?: Array<{ path: string; required?: boolean }>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  command?: string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}
const COMPOSE_FILES = ["compose.yaml", "compose.sqlite.yaml"];
const compose = (file: string) => parseYaml(read(file)) as ComposeFile;

/** Names listed in .env.example, set or commented out (`# NAME=value`). */
const exampleVariables = new Set([...read(".env.example").matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!));

/** `${NAME}`, `${NAME:-default}`, `${NAME:?message}` (but not `$${NAME}`, which compose passes on to the shell). */
const interpolated = (text: string) => [...text.matchAll(/(?<!\$)\$\{([A-Z][A-Z0-9_]*)/g)].map((match) => match[1]!);

/** The `PORT` the container listens on, and the container side of each published port. */
const containerPort = (mapping: string) => Number(mapping.split(":").at(-1));

describe("the configuration schema and .env.example", () => {
  it("lists every variable of lib/env.ts's schema in .env.example", () => {
    expect(schemaVariables.length).toBeGreaterThan(20);
    expect(schemaVariables.filter((name) => !exampleVariables.has(name))).toEqual([]);
  });

  it("lists every variable of the configuration reference (docs/configuration.md) and of the README's short table in .env.example", () => {
    const readmeTable = /## Configuration\n([\s\S]*?)\n## /.exec(read("README.md"))?.[1] ?? "";
    const rows = [...read("docs/configuration.md").split("\n"), ...readmeTable.split("\n")].filter((line) => line.startsWith("| `"));
    const documented = rows.flatMap((row) => [...row.split("|")[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!));
    expect(documented).toEqual(expect.arrayContaining(["VTRIX_API_KEY", "DATA_DIR", "HOST", "S3_SECRET_ACCESS_KEY"]));
    expect(documented.filter((name) => !exampleVariables.has(name))).toEqual([]);
  });

  it("gives every variable it lists a one-line comment", () => {
    const lines = read(".env.example").split("\n");
    const uncommented = lines.flatMap((line, index) => {
      const name = /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line)?.[1];
      if (!name) return [];
      // The comment is the nearest line above that is not another variable (pairs share one).
      let above = index - 1;
      while (above >= 0 && /^#?\s*[A-Z][A-Z0-9_]*=/.test(lines[above]!)) above -= 1;
      return above >= 0 && /^#\s+\S/.test(lines[above]!) && !/^#\s+---/.test(lines[above]!) ? [] : [name];
    });
    expect(uncommented).toEqual([]);
  });

  it("sets nothing by default that would change the app's behaviour", () => {
    // Uncommented lines are compose's own passwords; an app variable set here would override defaults silently.
    const set = [...read(".env.example").matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!);
    expect(set.filter((name) => schemaVariables.includes(name))).toEqual([]);
  });
});

describe("Dockerfile", () => {
  it("builds in stages and runs a slim Debian Node image", () => {
    expect(stages.map((stage) => stage.name)).toEqual(["deps", "build", "run"]);
    const names = stages.map((stage) => stage.name);
    // Each stage starts from the same Node image or from an earlier stage.
    const images = new Set(stages.filter((stage) => !names.includes(stage.image)).map((stage) => stage.image));
    expect([...images]).toHaveLength(1);
    expect(finalStage.image).toMatch(/^node:(20|22)-bookworm-slim$/);
  });

  it("builds the standalone output with image-files.json's command, which alone switches it on", () => {
    const build = stages.find((stage) => stage.name === "build")!;
    const runs = build.instructions.filter((i) => i.keyword === "RUN").map((i) => i.args);
    expect(runs).toEqual([imageBuildCommand()]);
    const script = read(imageBuildCommand().replace(/^node /, ""));
    expect(script).toContain('NEXT_OUTPUT: "standalone"');
    expect(read("next.config.ts")).toMatch(/process\.env\.NEXT_OUTPUT === "standalone"/);
    expect(read("scripts/start.mjs")).not.toContain("NEXT_OUTPUT");
  });

  it("copies into the final stage exactly the files image-files.json lists, from the build stage", () => {
    expect(finalArgs("COPY")).toEqual(imageFiles().map(copyInstruction));
    expect(finalArgs("ADD")).toEqual([]);
    // Nothing else from the build: no npm install, no sources.
    expect(finalArgs("RUN").join("\n")).not.toMatch(/\bnpm\b|\bnpx\b/);
  });

  it("runs as a non-root user, keeps data in a /data volume, and checks /api/health on PORT", () => {
    const user = finalArgs("USER").at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(finalArgs("VOLUME")).toEqual(["/data"]);
    expect(finalEnv.DATA_DIR).toBe("/data");
    expect(finalArgs("EXPOSE")).toEqual([finalEnv.PORT]);
    const argv = healthcheckArgv(finalStage);
    expect(argv[0]).toBe("node");
    expect(argv.join(" ")).toContain("/api/health");
    expect(argv.join(" ")).toContain("process.env.PORT");
    expect(existsSync(path.join(ROOT, "app/api/health/route.ts"))).toBe(true);
    // The front door (scripts/server.mjs, bundled by the build), never Next's own server.js.
    expect(commandArgv(finalStage)).toEqual(["node", "server.mjs"]);
  });

  it("sets only variables the app's schema or Node and Next.js read", () => {
    for (const stage of stages) {
      const unknown = Object.keys(stageEnv(stage)).filter((name) => !schemaVariables.includes(name) && !RUNTIME_VARIABLES.has(name));
      expect(unknown, `stage ${stage.name}`).toEqual([]);
    }
  });

  it("takes no secret as a build argument and bakes none into the image", () => {
    const args = stages.flatMap((stage) => stage.instructions.filter((i) => i.keyword === "ARG").map((i) => i.args));
    expect(args.filter((arg) => /KEY|SECRET|PASSWORD|TOKEN|DATABASE_URL/i.test(arg))).toEqual([]);
    const secrets = ["VTRIX_API_KEY", "APP_PASSWORD", "S3_SECRET_ACCESS_KEY", "DATABASE_URL"];
    for (const stage of stages) expect(Object.keys(stageEnv(stage)).filter((name) => secrets.includes(name))).toEqual([]);
  });

  it("keeps a local .env, installed modules, builds and data out of the build context", () => {
    const ignored = read(".dockerignore")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#"));
    expect(ignored).toEqual(expect.arrayContaining([".env", ".env.*", "node_modules", ".next", ".next-*", "data", ".git"]));
    expect(ignored.filter((line) => line.startsWith("!"))).toEqual([]);
  });
});

describe.each(COMPOSE_FILES)("%s", (file) => {
  const { services, volumes = {} } = compose(file);
  const app = services.app!;

  it("builds the app from this folder and reads .env", () => {
    expect(app.build).toBe(".");
    expect(app.env_file).toEqual([{ path: ".env", required: false }]);
  });

  it("sets only variables of the app's schema, with the container's port and data folder", () => {
    const environment = app.environment ?? {};
    expect(Object.keys(environment).filter((name) => !schemaVariables.includes(name))).toEqual([]);
    expect(environment.PORT).toBe(finalEnv.PORT);
    expect(environment.DATA_DIR).toBe(finalEnv.DATA_DIR);
    expect(app.ports?.map(containerPort)).toEqual([Number(finalEnv.PORT)]);
  });

  it("keeps the app's data on a named volume at DATA_DIR", () => {
    const [volume, mountPoint] = (app.volumes ?? [])[0]?.split(":") ?? [];
    expect(mountPoint).toBe(finalEnv.DATA_DIR);
    expect(Object.keys(volumes)).toContain(volume);
  });

  it("takes every variable it reads from .env.example", () => {
    const missing = interpolated(read(file)).filter((name) => !exampleVariables.has(name));
    expect(missing).toEqual([]);
  });

  it("waits for each service it depends on to be healthy or done", () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(services[dependency], `${name} → ${dependency}`).toBeDefined();
        expect(["service_healthy", "service_completed_successfully"]).toContain(condition);
        if (condition === "service_healthy") expect(services[dependency]!.healthcheck?.test.length).toBeGreaterThan(0);
      }
    }
  });
});

describe("compose.yaml (PostgreSQL and MinIO)", () => {
  const { services, volumes = {} } = compose("compose.yaml");
  const environment = services.app!.environment ?? {};

  it("points the app at the PostgreSQL service with the database and user it creates", () => {
    const postgres = services.postgres!;
    const url = new URL(environment.DATABASE_URL!.replace(/\$\{[^}]+\}/, "password"));
    expect(url.protocol).toBe("postgres:");
    expect(url.hostname).toBe("postgres");
    expect(url.pathname).toBe(`/${postgres.environment!.POSTGRES_DB}`);
    expect(url.username).toBe(postgres.environment!.POSTGRES_USER);
    expect(environment.DATABASE_URL).toContain(postgres.environment!.POSTGRES_PASSWORD!.replace(/:\?.*\}$/, ""));
    expect(postgres.healthcheck?.test).toEqual(expect.arrayContaining([postgres.environment!.POSTGRES_USER, postgres.environment!.POSTGRES_DB]));
    expect(services.app!.depends_on?.postgres?.condition).toBe("service_healthy");
  });

  it("points the app at MinIO with its root credentials and the bucket the one-shot service creates", () => {
    const minio = services.minio!;
    const bucket = services["minio-bucket"]!;
    expect(new URL(environment.S3_ENDPOINT!).hostname).toBe("minio");
    expect(environment.S3_ACCESS_KEY_ID).toBe(minio.environment!.MINIO_ROOT_USER);
    expect(environment.S3_SECRET_ACCESS_KEY).toBe(minio.environment!.MINIO_ROOT_PASSWORD);
    expect(bucket.environment!.S3_BUCKET).toBe(environment.S3_BUCKET);
    expect(bucket.command?.join(" ")).toMatch(/mc mb --ignore-existing "local\/\$\$S3_BUCKET"/);
    expect(services.app!.depends_on?.["minio-bucket"]?.condition).toBe("service_completed_successfully");
    expect(services.app!.depends_on?.minio?.condition).toBe("service_healthy");
  });

  it("keeps the database and the bucket on named volumes", () => {
    const named = (service: string) => services[service]!.volumes?.map((volume) => volume.split(":")[0]);
    expect(named("postgres")).toEqual(["postgres-data"]);
    expect(named("minio")).toEqual(["minio-data"]);
    expect(Object.keys(volumes).sort()).toEqual(["app-data", "minio-data", "postgres-data"]);
  });

  it("requires its passwords instead of shipping defaults", () => {
    for (const name of ["POSTGRES_PASSWORD", "MINIO_ROOT_PASSWORD"]) {
      expect(read("compose.yaml")).toContain(`\${${name}:?`);
      expect(read("compose.yaml")).not.toMatch(new RegExp(`\\$\\{${name}:-`));
    }
  });
});

describe("compose.sqlite.yaml (the app alone)", () => {
  it("runs only the app, on SQLite and the local folder", () => {
    const { services } = compose("compose.sqlite.yaml");
    expect(Object.keys(services)).toEqual(["app"]);
    expect(Object.keys(services.app!.environment ?? {}).filter((name) => name.startsWith("S3_") || name === "DATABASE_URL")).toEqual([]);
  });
});
