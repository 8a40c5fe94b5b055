import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** The reference configuration the README points deployments at; the tests run exactly it. */
export const REFERENCE_CONFIG = path.join(ROOT, "deploy", "nginx.conf");
const NGINX = "/usr/sbin/nginx";

export interface Nginx {
  url: string;
  /** What nginx wrote to its error log. */
  errors(): string;
  stop(): Promise<void>;
}

/**
 * The reference configuration with its instance list and listen port replaced, every
 * other line as shipped, run by Debian's nginx in the foreground with its own prefix.
 */
export function referenceConfigFor(instances: string[], port: number): string {
  const reference = readFileSync(REFERENCE_CONFIG, "utf8");
  const servers = instances.map((address) => `    server ${address} max_fails=3 fail_timeout=10s;`).join("\n");
  const withServers = reference.replace(/(upstream portrait_live \{\n(?:\s*#.*\n)*)((?:\s*server .*\n)+)/, `$1${servers}\n`);
  const config = withServers.replace(/^(\s*)listen 80;/m, `$1listen 127.0.0.1:${port};`);
  if (config === reference || !config.includes(servers) || !config.includes(`listen 127.0.0.1:${port};`)) {
    throw new Error(`${REFERENCE_CONFIG} no longer has the upstream block or listen line the tests replace`);
  }
  return config;
}

export async function startNginx(options: { instances: string[]; port: number }): Promise<Nginx> {
  if (!existsSync(NGINX)) throw new Error("nginx not found: run scripts/install-system-deps.sh (Debian package nginx)");
  const prefix = mkdtempSync(path.join(os.tmpdir(), "portrait-live-nginx-"));
  for (const dir of ["body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"]) mkdirSync(path.join(prefix, dir));
  writeFileSync(path.join(prefix, "portrait-live.conf"), referenceConfigFor(options.instances, options.port));
  const errorLog = path.join(prefix, "logs", "error.log");
  const isRoot = process.getuid?.() === 0;
  writeFileSync(
    path.join(prefix, "nginx.conf"),
    [
      // As root nginx would hand its workers to `nobody`, who cannot use this private prefix.
      isRoot ? "user root;" : "",
      "daemon off;",
      "worker_processes 1;",
      `pid ${prefix}/nginx.pid;`,
      `error_log ${errorLog} warn;`,
      "events { worker_connections 1024; }",
      "http {",
      "  access_log off;",
      `  client_body_temp_path ${prefix}/body;`,
      `  proxy_temp_path ${prefix}/proxy;`,
      `  fastcgi_temp_path ${prefix}/fastcgi;`,
      `  uwsgi_temp_path ${prefix}/uwsgi;`,
      `  scgi_temp_path ${prefix}/scgi;`,
      `  include ${prefix}/portrait-live.conf;`,
      "}",
      "",
    ].join("\n"),
  );
  let output = "";
  const child = spawn(NGINX, ["-p", prefix, "-c", path.join(prefix, "nginx.conf"), "-e", errorLog], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!(await accepts(options.port))) {
    if (child.exitCode !== null) throw new Error(`nginx exited during start-up:\n${output}\n${readLog(errorLog)}`);
    if (Date.now() > deadline) throw new Error(`nginx did not listen on ${options.port}:\n${output}\n${readLog(errorLog)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${options.port}`,
    errors: () => readLog(errorLog),
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

const readLog = (file: string) => (existsSync(file) ? readFileSync(file, "utf8") : "");

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
