import { describe, expect, it } from "vitest";
import { CLIENT_HEADER, allowedHostNames, clientKeyOf, createFrontDoor, isAllowedHost, parseTrustedProxies } from "@/lib/security/front-door.mjs";

const request = (remoteAddress: string, headers: Record<string, string>) => ({
  socket: { remoteAddress },
  headers: { ...headers } as Record<string, string | string[] | undefined>,
});

describe("front door: client address", () => {
  it("without trusted proxies, is the connection's address and drops every forwarding header", () => {
    const door = createFrontDoor({});
    const incoming = request("192.0.2.10", {
      host: "127.0.0.1:3000",
      "x-forwarded-for": "127.0.0.1",
      "x-forwarded-proto": "https",
      "x-forwarded-host": "clips.example.com",
      forwarded: "for=127.0.0.1",
      "x-real-ip": "127.0.0.1",
      [CLIENT_HEADER]: "127.0.0.1",
    });
    expect(door.admit(incoming)).toEqual({ ok: true, client: "192.0.2.10" });
    expect(incoming.headers[CLIENT_HEADER]).toBe("192.0.2.10");
    for (const name of ["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "forwarded", "x-real-ip"]) {
      expect(incoming.headers[name]).toBeUndefined();
    }
  });

  it("from a trusted proxy, is the rightmost address the proxies did not add", () => {
    const door = createFrontDoor({ trustedProxies: "10.0.0.0/8, loopback" });
    const incoming = request("10.0.0.2", { host: "127.0.0.1", "x-forwarded-for": "1.2.3.4, 198.51.100.7, 10.0.0.9", "x-forwarded-proto": "https" });
    expect(door.admit(incoming)).toEqual({ ok: true, client: "198.51.100.7" });
    expect(incoming.headers["x-forwarded-proto"]).toBe("https");
    // A peer outside the list is the client, whatever it writes.
    expect(door.admit(request("192.0.2.1", { host: "127.0.0.1", "x-forwarded-for": "10.0.0.9" }))).toEqual({ ok: true, client: "192.0.2.1" });
  });

  it("with a hop count, trusts that many proxies whatever their addresses", () => {
    const door = createFrontDoor({ trustedProxies: "2" });
    expect(door.admit(request("192.0.2.1", { host: "127.0.0.1", "x-forwarded-for": "6.6.6.6, 198.51.100.7, 192.0.2.2" }))).toEqual({
      ok: true,
      client: "198.51.100.7",
    });
    expect(door.admit(request("192.0.2.1", { host: "127.0.0.1" }))).toEqual({ ok: true, client: "192.0.2.1" });
  });

  it("falls back to the connection when a trusted proxy reports something that is not an address", () => {
    const door = createFrontDoor({ trustedProxies: "loopback" });
    expect(door.admit(request("127.0.0.1", { host: "127.0.0.1", "x-forwarded-for": "unknown" }))).toEqual({ ok: true, client: "127.0.0.1" });
  });

  it("keys IPv4-mapped addresses as IPv4 and IPv6 by its /64 network", () => {
    expect(clientKeyOf("::ffff:192.0.2.5")).toBe("192.0.2.5");
    expect(clientKeyOf("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(clientKeyOf("2001:db8:1:2:bbbb::9")).toBe("2001:db8:1:2::/64");
    expect(clientKeyOf("not an address")).toBe("unknown");
  });

  it("refuses a TRUSTED_PROXIES entry it cannot read", () => {
    expect(() => parseTrustedProxies("10.0.0.0/99")).toThrow();
    expect(() => parseTrustedProxies("proxy.internal")).toThrow();
  });
});

describe("front door: host names", () => {
  const names = allowedHostNames({ publicBaseUrl: "https://Clips.Example.com", allowedHosts: "studio.lan, other.example.org." });

  it.each([
    "clips.example.com",
    "clips.example.com:443",
    "CLIPS.example.com.",
    "studio.lan:3000",
    "other.example.org",
    "localhost",
    "localhost:3000",
    "127.0.0.1:3000",
    "192.168.1.20",
    "[::1]:3000",
    "[2001:db8::1]",
  ])("accepts %s", (host) => expect(isAllowedHost(host, names)).toBe(true));

  it.each([
    undefined,
    "",
    "evil.example",
    "clips.example.com.evil.example",
    "xclips.example.com",
    "localhost.evil.example",
    "sub.localhost.evil",
    "[::1",
    "[evil]:80",
    "a b",
    "clips.example.com:99999999",
    "user@clips.example.com",
  ])("refuses %s", (host) => expect(isAllowedHost(host, names)).toBe(false));

  it("refuses before routing with 421 and a plain message, and checks X-Forwarded-Host from a trusted proxy", () => {
    const door = createFrontDoor({ allowedHosts: "studio.lan", trustedProxies: "loopback" });
    expect(door.admit(request("192.0.2.1", { host: "evil.example" }))).toMatchObject({ ok: false, status: 421 });
    expect(door.admit(request("127.0.0.1", { host: "127.0.0.1", "x-forwarded-host": "evil.example" }))).toMatchObject({ ok: false, status: 421 });
    expect(door.admit(request("127.0.0.1", { host: "127.0.0.1", "x-forwarded-host": "studio.lan" }))).toMatchObject({ ok: true });
    // From anyone else the header is dropped, not judged.
    expect(door.admit(request("192.0.2.1", { host: "studio.lan", "x-forwarded-host": "evil.example" }))).toMatchObject({ ok: true });
  });
});

describe("front door settings", () => {
  it("accept proxy lists, hop counts and host names, and refuse anything else naming the variable", async () => {
    const { parseEnv } = await import("@/lib/env");
    expect(parseEnv({ TRUSTED_PROXIES: "10.0.0.0/8, loopback, 2001:db8::/32" }).TRUSTED_PROXIES).toBe("10.0.0.0/8, loopback, 2001:db8::/32");
    expect(parseEnv({ TRUSTED_PROXIES: "1" }).TRUSTED_PROXIES).toBe("1");
    expect(parseEnv({ ALLOWED_HOSTS: "clips.example.com, studio.lan." }).ALLOWED_HOSTS).toBe("clips.example.com, studio.lan.");
    expect(parseEnv({}).LOGIN_ATTEMPTS_GLOBAL_PER_15_MIN).toBe(100);
    expect(() => parseEnv({ TRUSTED_PROXIES: "proxy.internal" })).toThrow(/TRUSTED_PROXIES: must be/);
    expect(() => parseEnv({ TRUSTED_PROXIES: "10.0.0.0/40" })).toThrow(/TRUSTED_PROXIES/);
    expect(() => parseEnv({ ALLOWED_HOSTS: "https://clips.example.com" })).toThrow(/ALLOWED_HOSTS: must be host names/);
    expect(() => parseEnv({ ALLOWED_HOSTS: "clips.example.com:443" })).toThrow(/ALLOWED_HOSTS/);
  });
});

describe("front door: absolute-form request lines", () => {
  const admit = (url: string, host = "127.0.0.1:3000") => {
    const incoming = { ...request("127.0.0.1", { host }), url };
    return { verdict: createFrontDoor({}).admit(incoming), url: incoming.url };
  };

  it("serve the Host header's own authority as a plain path", () => {
    expect(admit("http://127.0.0.1:3000/s/abc?x=1")).toEqual({ verdict: { ok: true, client: "127.0.0.1" }, url: "/s/abc?x=1" });
    expect(admit("http://LOCALHOST/", "localhost:80").url).toBe("/");
    expect(admit("/plain/path").url).toBe("/plain/path");
  });

  it("refuse another host, another port, credentials or another scheme", () => {
    for (const url of ["http://evil.example/s/abc", "http://127.0.0.1:3001/", "http://user:pw@127.0.0.1:3000/", "ftp://127.0.0.1:3000/", "http://[::1"]) {
      expect(admit(url).verdict, url).toMatchObject({ ok: false, status: 400 });
    }
  });
});
