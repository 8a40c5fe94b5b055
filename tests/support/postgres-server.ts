import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "./app-server";

export interface PostgresServer {
  /** postgres://… for a fresh, empty database. */
  url: string;
  /** Another empty database on the same server. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** Debian's server binaries live under /usr/lib/postgresql/<version>/bin, not on PATH. */
function serverBinDir(): string {
  const onPath = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" }).stdout.trim();
  if (onPath) return path.dirname(onPath);
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((version) => path.join(root, version, "bin")).find((dir) => existsSync(path.join(dir, "initdb")));
  if (!found) throw new Error("PostgreSQL server binaries not found: run scripts/install-system-deps.sh (Debian package postgresql)");
  return found;
}

/**
 * Postgres refuses to run as root, so as root its programs run as the `postgres` user:
 * spawned with that uid directly (not through runuser, which would swallow the SIGINT
 * that asks the server for a fast shutdown).
 */
function serverUser(): { uid: number; gid: number } | Record<string, never> {
  return process.getuid?.() === 0 ? userIds("postgres") : {};
}

/**
 * A real, throwaway PostgreSQL server for tests: its own cluster in a temporary folder,
 * listening on a spare loopback port, trust auth, no fsync (the data is thrown away).
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = serverBinDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), "portrait-live-pg-"));
  const dataDir = path.join(dir, "data");
  const user = serverUser();
  if ("uid" in user) {
    chownSync(dir, user.uid, user.gid);
    chmodSync(dir, 0o700);
  }
  const init = spawnSync(path.join(bin, "initdb"), ["-D", dataDir, "-U", "portrait", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], {
    encoding: "utf8",
    cwd: dir,
    ...user,
  });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);

  const port = await freePort();
  const args = ["-D", dataDir, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off"];
  let output = "";
  const server: ChildProcess = spawn(path.join(bin, "postgres"), args, { stdio: ["ignore", "pipe", "pipe"], cwd: dir, ...user });
  server.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));

  const urlFor = (database: string) => `postgres://portrait@127.0.0.1:${port}/${database}`;
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: urlFor("postgres") });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  const stop = async () => {
    if (server.exitCode === null) {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      // SIGINT is Postgres's "fast shutdown".
      server.kill("SIGINT");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await admin((client) => client.query("select 1"));
      break;
    } catch (error) {
      if (server.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`postgres did not start: ${String(error)}\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const createDatabase = async (name: string) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
    await admin((client) => client.query(`create database ${name}`));
    return urlFor(name);
  };
  return { url: await createDatabase("portrait_live"), createDatabase, stop };
}

function userIds(name: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync("id", [flag, name], { encoding: "utf8" }).stdout.trim());
  return { uid: id("-u"), gid: id("-g") };
}
