import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type AppServer } from "../support/app-server";

let local: AppServer;
let exposed: AppServer;

beforeAll(async () => {
  local = await startApp({ env: { VTRIX_API_KEY: "vtx-headers-secret", VTRIX_BASE_URL: "http://127.0.0.1:9" } });
  exposed = await startApp({ env: { VTRIX_API_KEY: "vtx-headers-secret", VTRIX_BASE_URL: "http://127.0.0.1:9" }, host: "0.0.0.0" });
});

afterAll(async () => {
  await local?.stop();
  await exposed?.stop();
});

describe("security headers", () => {
  it("pages get a nonce-based CSP and the usual hardening headers", async () => {
    const first = await fetch(`${local.url}/`);
    const second = await fetch(`${local.url}/`);
    const policy = first.headers.get("content-security-policy") ?? "";
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain("unsafe-eval");
    // A fresh nonce per response, and Next puts it on its own scripts.
    expect(second.headers.get("content-security-policy")).not.toBe(policy);
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1] ?? "";
    expect(await first.text()).toContain(`nonce="${nonce}"`);
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(first.headers.get("permissions-policy")).toContain("geolocation=()");
    expect(first.headers.get("x-frame-options")).toBe("DENY");
  });

  it("pages keep their policy when asked for as a prefetch", async () => {
    for (const path of ["/", "/history", "/login"]) {
      const prefetches: Array<Record<string, string>> = [{ Purpose: "prefetch" }, { "Next-Router-Prefetch": "1" }, { "Sec-Purpose": "prefetch" }];
      for (const headers of prefetches) {
        const response = await fetch(`${local.url}${path}`, { headers, redirect: "manual" });
        await response.arrayBuffer();
        expect(response.headers.get("content-security-policy"), `${path} ${JSON.stringify(headers)}`).toMatch(/script-src 'self' 'nonce-/);
      }
    }
  });

  it("every page but the embeddable player refuses to be framed", async () => {
    const token = "Q".repeat(24);
    for (const path of ["/", "/history", `/s/${token}`, `/s/${token}/embed/more`, `/s/${token}/embedded`, "/no-such-page"]) {
      const response = await fetch(`${local.url}${path}`);
      await response.arrayBuffer();
      expect(response.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
    }
  });

  it("the embeddable player may be framed by any site, and runs nothing", async () => {
    // An unknown link: its "no longer shared" page is framable too, so embeds say so instead of breaking.
    for (const path of [`/s/${"Q".repeat(24)}/embed`, `/s/${"Q".repeat(24)}/embed/`]) {
      const response = await fetch(`${local.url}${path}`);
      expect(response.status, path).toBe(404);
      const policy = response.headers.get("content-security-policy") ?? "";
      expect(policy, path).toContain("frame-ancestors *");
      expect(policy, path).not.toContain("'none'; frame-ancestors 'none'");
      expect(policy, path).toContain("default-src 'none'");
      expect(policy, path).not.toMatch(/script-src/);
      expect(response.headers.get("x-frame-options"), path).toBeNull();
      expect(response.headers.get("set-cookie"), path).toBeNull();
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(await response.text()).not.toMatch(/<script/i);
    }
  });

  it("API answers forbid running or framing anything", async () => {
    const response = await fetch(`${local.url}/api/health`);
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("a live server open to the network without APP_PASSWORD", () => {
  it("says so at start-up and in the studio, and only there", async () => {
    expect(exposed.output()).toContain("APP_PASSWORD is not set and the server listens beyond this machine");
    expect(await (await fetch(`${exposed.url}/`)).text()).toContain("anyone who can reach this server can spend your API key");
    expect(await (await fetch(`${exposed.url}/history`)).text()).not.toContain("can spend your API key");
  });

  it("stays quiet when bound to loopback", async () => {
    expect(local.output()).not.toContain("APP_PASSWORD is not set");
    expect(await (await fetch(`${local.url}/`)).text()).not.toContain("can spend your API key");
  });
});
