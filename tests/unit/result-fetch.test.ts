import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createTcpServer, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { LookupAddress } from "node:dns";
import { guardedLookup } from "@/lib/upstream/guarded-lookup";
import { openResultUrl, type ResultFetchPolicy } from "@/lib/upstream/open-result-url";
import { UpstreamError } from "@/lib/upstream/provider";
import { classifyAddress, destinationAllowed } from "@/lib/upstream/result-destination";

/**
 * Every server here listens on loopback, and every refusal is of a loopback address (or of
 * an address that a test resolver makes up and that is never connected to).
 */
const servers: Array<{ close(callback?: () => void): unknown }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

/** A bare TCP listener on loopback that only counts the connections it is offered. */
async function countingListener(host = "127.0.0.1") {
  const counter = { connections: 0, port: 0 };
  const server = createTcpServer((socket) => {
    counter.connections++;
    socket.destroy();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  counter.port = (server.address() as AddressInfo).port;
  return counter;
}

async function httpServer(handler: Parameters<typeof createHttpServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createHttpServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const policy = (allowInsecure: boolean, extra: Partial<ResultFetchPolicy> = {}): ResultFetchPolicy => ({
  timeoutMs: 3000,
  maxBytes: 1024 * 1024,
  allowInsecure,
  ...extra,
});

async function refusal(url: string, fetchPolicy: ResultFetchPolicy): Promise<UpstreamError> {
  const error = await openResultUrl(url, fetchPolicy).then(
    () => new Error("the link was followed"),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

describe("result links to internal addresses (test switch off)", () => {
  it.each([
    ["a name that resolves to loopback", (port: number) => `https://localhost:${port}/video.mp4`],
    ["an IPv4 loopback address", (port: number) => `https://127.0.0.1:${port}/video.mp4`],
    ["an IPv4-mapped IPv6 loopback address", (port: number) => `https://[::ffff:127.0.0.1]:${port}/video.mp4`],
  ])("refuses %s without connecting", async (_name, link) => {
    const listener = await countingListener();
    const error = await refusal(link(listener.port), policy(false));
    expect(error.kind).toBe("result_invalid");
    expect(error.userMessage).toMatch(/private or local network address/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(listener.connections).toBe(0);
  });

  it("refuses IPv6 loopback without connecting", async () => {
    const listener = await countingListener("::1").catch(() => null);
    if (!listener) return; // no IPv6 loopback on this machine
    const error = await refusal(`https://[::1]:${listener.port}/video.mp4`, policy(false));
    expect(error.kind).toBe("result_invalid");
    expect(listener.connections).toBe(0);
  });
});

describe("the test switch (ALLOW_INSECURE_RESULT_URLS)", () => {
  it("lets plain http reach the fake CDN on loopback", async () => {
    const { url } = await httpServer((_request, response) => {
      response.writeHead(200, { "Content-Type": "video/mp4", "Content-Length": "4" });
      response.end("abcd");
    });
    const download = await openResultUrl(`${url}/video.mp4`, policy(true));
    expect(download.contentLength).toBe(4);
    expect(Buffer.from(await new Response(download.body).arrayBuffer()).toString()).toBe("abcd");
  });

  it("resolves a host name through the guarding lookup and connects to its loopback address", async () => {
    const { url } = await httpServer((_request, response) => {
      response.writeHead(200, { "Content-Length": "2" });
      response.end("ok");
    });
    const byName = url.replace("127.0.0.1", "localhost");
    const download = await openResultUrl(`${byName}/video.mp4`, policy(true));
    expect(Buffer.from(await new Response(download.body).arrayBuffer()).toString()).toBe("ok");
  });
});

describe("classifyAddress", () => {
  it.each([
    ["93.184.216.34", "public"],
    ["8.8.8.8", "public"],
    ["2606:4700:4700::1111", "public"],
    ["127.0.0.1", "loopback"],
    ["127.254.0.9", "loopback"],
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::127.0.0.1", "loopback"],
    ["10.0.0.7", "internal"],
    ["172.16.5.4", "internal"],
    ["172.31.255.255", "internal"],
    ["192.168.1.1", "internal"],
    ["169.254.169.254", "internal"],
    ["100.64.0.1", "internal"],
    ["0.0.0.0", "internal"],
    ["255.255.255.255", "internal"],
    ["224.0.0.1", "internal"],
    ["::", "internal"],
    ["fe80::1", "internal"],
    ["fe80::1%eth0", "internal"],
    ["fc00::1", "internal"],
    ["fd12:3456::1", "internal"],
    ["ff02::1", "internal"],
    ["::ffff:10.0.0.1", "internal"],
    ["::ffff:169.254.169.254", "internal"],
    ["::ffff:a9fe:a9fe", "internal"],
    ["::10.0.0.1", "internal"],
    ["64:ff9b::a9fe:a9fe", "internal"],
    ["2002:a9fe:a9fe::1", "internal"],
    ["2001:db8::1", "internal"],
    ["not-an-address", "internal"],
  ] as const)("%s is %s", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it("allows public https always, loopback only with the test switch, plain http only to loopback", () => {
    expect(destinationAllowed("93.184.216.34", "https:", false)).toBe(true);
    expect(destinationAllowed("93.184.216.34", "http:", false)).toBe(false);
    expect(destinationAllowed("93.184.216.34", "http:", true)).toBe(false);
    expect(destinationAllowed("127.0.0.1", "https:", false)).toBe(false);
    expect(destinationAllowed("127.0.0.1", "http:", true)).toBe(true);
    expect(destinationAllowed("10.0.0.7", "https:", true)).toBe(false);
    expect(destinationAllowed("::ffff:192.168.0.1", "http:", true)).toBe(false);
  });
});

describe("guardedLookup (no connection made)", () => {
  const resolver = (table: Record<string, LookupAddress[]>) => async (hostname: string) => table[hostname] ?? [];
  const table = {
    "cdn.example": [
      { address: "93.184.216.34", family: 4 },
      { address: "2606:4700:4700::1111", family: 6 },
    ],
    "mixed.example": [
      { address: "10.0.0.7", family: 4 },
      { address: "93.184.216.34", family: 4 },
    ],
    "internal.example": [
      { address: "10.0.0.7", family: 4 },
      { address: "fd00::7", family: 6 },
    ],
    "metadata.example": [{ address: "169.254.169.254", family: 4 }],
    "local.example": [{ address: "127.0.0.1", family: 4 }],
  };
  const look = (hostname: string, protocol: string, allowInsecure: boolean, options: { all?: boolean; family?: number } = {}) =>
    new Promise<{ error: NodeJS.ErrnoException | null; result: unknown }>((resolve) => {
      const lookup = guardedLookup(protocol, allowInsecure, resolver(table));
      lookup(
        hostname,
        options as never,
        ((error: NodeJS.ErrnoException | null, address: unknown, family?: number) =>
          resolve({ error, result: options.all ? address : { address, family } })) as never,
      );
    });

  it("hands over only public addresses, in both callback forms", async () => {
    expect(await look("cdn.example", "https:", false)).toEqual({ error: null, result: { address: "93.184.216.34", family: 4 } });
    expect((await look("cdn.example", "https:", false, { all: true })).result).toEqual(table["cdn.example"]);
    expect((await look("cdn.example", "https:", false, { family: 6 })).result).toEqual({ address: "2606:4700:4700::1111", family: 6 });
    expect((await look("mixed.example", "https:", false, { all: true })).result).toEqual([{ address: "93.184.216.34", family: 4 }]);
  });

  it.each([
    ["internal.example", "https:", false],
    ["metadata.example", "https:", true],
    ["local.example", "https:", false],
    ["cdn.example", "http:", true],
    ["nowhere.example", "https:", false],
  ] as const)("refuses %s over %s (test switch %s)", async (hostname, protocol, allowInsecure) => {
    const { error } = await look(hostname, protocol, allowInsecure, { all: true });
    expect(error?.code).toBe("ERESULTDESTINATION");
  });

  it("lets loopback through only with the test switch", async () => {
    expect((await look("local.example", "http:", true)).result).toEqual({ address: "127.0.0.1", family: 4 });
  });
});

describe("every redirect hop is checked (test switch on)", () => {
  // 0.0.0.0 and :: stand for internal destinations: even a wrong connect would stay on this machine.
  const quietResolver = async (hostname: string): Promise<LookupAddress[]> => (hostname === "sneaky.example" ? [{ address: "0.0.0.0", family: 4 }] : []);

  it.each([
    ["a name that resolves to an internal address", (port: number) => `http://sneaky.example:${port}/video.mp4`],
    ["an unspecified IPv4 address", (port: number) => `http://0.0.0.0:${port}/video.mp4`],
    ["an unspecified IPv6 address", (port: number) => `http://[::]:${port}/video.mp4`],
    ["a mapped internal address", (port: number) => `http://[::ffff:0.0.0.0]:${port}/video.mp4`],
  ])("refuses a redirect to %s", async (_name, target) => {
    const listener = await countingListener("0.0.0.0").catch(() => countingListener());
    let hops = 0;
    const { url } = await httpServer((_request, response) => {
      hops++;
      response.writeHead(302, { Location: target(listener.port) });
      response.end();
    });
    const error = await refusal(`${url}/start.mp4`, policy(true, { resolver: quietResolver }));
    expect(error.kind).toBe("result_invalid");
    expect(error.userMessage).toMatch(/private or local network address/);
    expect(hops).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(listener.connections).toBe(0);
  });

  it("follows a redirect between loopback addresses and re-checks the scheme of each hop", async () => {
    const { url: target } = await httpServer((_request, response) => {
      response.writeHead(200, { "Content-Length": "2" });
      response.end("ok");
    });
    const { url } = await httpServer((_request, response) => {
      response.writeHead(302, { Location: `${target}/video.mp4` });
      response.end();
    });
    const download = await openResultUrl(`${url}/start.mp4`, policy(true));
    expect(Buffer.from(await new Response(download.body).arrayBuffer()).toString()).toBe("ok");
    const { url: toFtp } = await httpServer((_request, response) => {
      response.writeHead(302, { Location: "ftp://127.0.0.1/video.mp4" });
      response.end();
    });
    expect((await refusal(`${toFtp}/start.mp4`, policy(true))).userMessage).toMatch(/will not follow/);
  });
});
