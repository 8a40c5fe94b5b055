import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createdByKeySchema } from "@/lib/contracts/idempotency-key";
import { startApp, type AppServer } from "../support/app-server";
import { makePortrait } from "../support/portraits";
import { errorOf } from "../support/takes-api";

// A browser that lost the answer to a create asks what its Idempotency-Key made, if anything.
const PASSWORD = "correct horse battery staple";
let app: AppServer;
let cookie: string;
let portrait: Buffer;

beforeAll(async () => {
  // Demo generations that stay running for the whole suite: nothing finishes under the test.
  app = await startApp({ env: { APP_PASSWORD: PASSWORD, DEMO_DURATION_MS: "60000" } });
  const login = await fetch(`${app.url}/api/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ password: PASSWORD }),
  });
  expect(login.status).toBe(204);
  cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  portrait = await makePortrait();
});

afterAll(async () => app?.stop());

const lookUp = (key: string, headers: Record<string, string> = { Cookie: cookie }) =>
  fetch(`${app.url}/api/idempotency-keys/${encodeURIComponent(key)}`, { headers });

async function post(path: string, body: unknown, key: string): Promise<{ id: string }> {
  const response = await fetch(`${app.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: cookie, "Idempotency-Key": key },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string };
}

async function uploadId(): Promise<string> {
  const response = await fetch(`${app.url}/api/uploads`, {
    method: "POST",
    headers: { "Content-Type": "image/jpeg", Cookie: cookie },
    body: new Uint8Array(portrait),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

describe("GET /api/idempotency-keys/{key}", () => {
  it("names the generation a create with the key made", async () => {
    const created = await post("/api/generations", { uploadId: await uploadId(), prompt: "she smiles" }, "create-key-0001");
    const answer = await lookUp("create-key-0001");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(createdByKeySchema.parse(await answer.json())).toEqual({ kind: "generation", id: created.id });
  });

  it("names the generation a re-run with the key made", async () => {
    const source = await post("/api/generations", { uploadId: await uploadId(), prompt: "a first take" }, "rerun-source-01");
    const rerun = await post(`/api/generations/${source.id}/rerun`, {}, "rerun-key:0001");
    expect(await (await lookUp("rerun-key:0001")).json()).toEqual({ kind: "generation", id: rerun.id });
  });

  it("names the set of takes a takes create with the key made", async () => {
    const set = await post("/api/takes", { uploadId: await uploadId(), takes: [{ prompt: "smile" }, { prompt: "blink" }] }, "takes-key_0001");
    const answer = await lookUp("takes-key_0001");
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ kind: "takes", id: set.id });
  });

  it("answers 404 for a key nothing was created with", async () => {
    const answer = await lookUp("never-used-key-42");
    expect(answer.status).toBe(404);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(await errorOf(answer)).toEqual({ status: 404, code: "not_found", message: "Nothing was created with this Idempotency-Key." });
  });

  it("answers 400 for a malformed key, with the header's own rule", async () => {
    for (const key of ["short", "x".repeat(129), "has space in it", "slash%2Fin%2Fit"]) {
      const refused = await errorOf(await lookUp(key));
      expect(refused, key).toMatchObject({ status: 400, code: "invalid_param" });
      expect(refused.message).toBe("Idempotency-Key must be 8–128 characters of A–Z, a–z, 0–9, _ . : -");
    }
  });

  it("answers 401 without a session", async () => {
    const created = await post("/api/generations", { uploadId: await uploadId(), prompt: "private" }, "private-key-0001");
    expect(created.id).toBeTruthy();
    const refused = await errorOf(await lookUp("private-key-0001", {}));
    expect(refused).toMatchObject({ status: 401, code: "unauthorized" });
  });

  it("takes GET only", async () => {
    const answer = await fetch(`${app.url}/api/idempotency-keys/create-key-0001`, { method: "DELETE", headers: { Cookie: cookie } });
    expect(answer.status).toBe(405);
    expect(answer.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });
});
