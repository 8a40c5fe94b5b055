import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeneration, waitForFinal } from "../support/api";
import { startApp, type AppServer } from "../support/app-server";
import { makePortrait, toDataUrl } from "../support/portraits";

// Next's image optimizer keeps what it fetched for hours, whatever the source says
// afterwards: private and shared media must never pass through it.

let app: AppServer;
let image: string;

beforeAll(async () => {
  app = await startApp({ env: { DEMO_DURATION_MS: "300" } });
  image = toDataUrl(await makePortrait());
});

afterAll(async () => app?.stop());

const optimized = (path: string) => fetch(`${app.url}/_next/image?url=${encodeURIComponent(path)}&w=640&q=75`);

describe("the image optimizer", () => {
  it("serves no shared poster, before or after the link is revoked, and no private one", async () => {
    const done = await waitForFinal(app.url, (await createGeneration(app.url, { image })).id);
    const token = done.shareUrl?.split("/s/")[1] ?? "";
    expect((await fetch(`${app.url}/api/share/${token}/input`)).status).toBe(200);

    const shared = await optimized(`/api/share/${token}/input`);
    expect(shared.status).not.toBe(200);
    expect(shared.headers.get("content-type") ?? "").not.toMatch(/^image\//);
    const own = await optimized(`/api/generations/${done.id}/input`);
    expect(own.status).not.toBe(200);
    expect(own.headers.get("content-type") ?? "").not.toMatch(/^image\//);

    expect((await fetch(`${app.url}/api/generations/${done.id}/share`, { method: "DELETE" })).ok).toBe(true);
    expect((await fetch(`${app.url}/api/share/${token}/input`)).status).toBe(404);
    const revoked = await optimized(`/api/share/${token}/input`);
    expect(revoked.status).not.toBe(200);
    expect(revoked.headers.get("content-type") ?? "").not.toMatch(/^image\//);
  });
});
