import "server-only";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { nanoid } from "nanoid";

const ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * This app instance's name among the servers sharing a store, kept in its DATA_DIR so a
 * restarted server is the same instance and takes its own generations back at once.
 * (Instances sharing a database each need their own DATA_DIR.)
 */
export async function instanceIdIn(dataDir: string): Promise<string> {
  const file = path.join(dataDir, "instance-id");
  const existing = await readFile(file, "utf8").then(
    (text) => text.trim(),
    () => "",
  );
  if (ID_PATTERN.test(existing)) return existing;
  const id = nanoid(16);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // "wx": two processes starting at once on one DATA_DIR agree on the first one written.
  await writeFile(file, `${id}\n`, { flag: "wx" }).catch(() => undefined);
  return (await readFile(file, "utf8")).trim();
}
