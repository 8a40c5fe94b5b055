import { readdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { uploadViewSchema, type UploadView } from "@/lib/contracts/upload";

export type UploadTransport = "raw" | "multipart";

/** POST /api/uploads with the image as the raw body or as the multipart field `image`. */
export function postUpload(
  baseUrl: string,
  bytes: Buffer,
  options: { as?: UploadTransport; mime?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const { as = "raw", mime = "image/jpeg", headers = {} } = options;
  if (as === "raw") {
    return fetch(`${baseUrl}/api/uploads`, { method: "POST", headers: { "Content-Type": mime, ...headers }, body: new Uint8Array(bytes) });
  }
  const form = new FormData();
  form.append("image", new Blob([new Uint8Array(bytes)], { type: mime }), "portrait");
  return fetch(`${baseUrl}/api/uploads`, { method: "POST", headers, body: form });
}

export async function createUpload(baseUrl: string, bytes: Buffer, options: { as?: UploadTransport; mime?: string } = {}): Promise<UploadView> {
  const response = await postUpload(baseUrl, bytes, options);
  const json: unknown = await response.json();
  if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${JSON.stringify(json)}`);
  return uploadViewSchema.parse(json);
}

/** Files in the app's local media folder under `inputs/`. */
export function storedInputs(dataDir: string): string[] {
  try {
    return readdirSync(path.join(dataDir, "media", "inputs")).sort();
  } catch {
    return [];
  }
}

/** Upload rows in the app's SQLite file, read beside the running server. */
export function uploadRows(dataDir: string): Array<{ id: string; media_key: string; expires_at: string }> {
  const db = new Database(path.join(dataDir, "portrait-live.sqlite"), { readonly: true, fileMustExist: true });
  try {
    return db.prepare("select id, media_key, expires_at from uploads order by id").all() as Array<{ id: string; media_key: string; expires_at: string }>;
  } finally {
    db.close();
  }
}
