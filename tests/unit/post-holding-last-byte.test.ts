import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { postHoldingLastByte, SendRefused } from "@/lib/upstream/vtrix/post-holding-last-byte";

/** A real HTTP server that tells how much of each request body has arrived. */
async function recordingServer() {
  const seen: Array<{ bytes: number; complete: boolean }> = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    const entry = { bytes: 0, complete: false };
    seen.push(entry);
    request.on("data", (chunk: Buffer) => (entry.bytes += chunk.length));
    request.on("end", () => {
      entry.complete = true;
      response.writeHead(201, { "Content-Type": "application/json" }).end(JSON.stringify({ bytes: entry.bytes }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/create`, seen, close: () => new Promise((resolve) => server.close(resolve)) };
}

const waitUntil = async (probe: () => boolean) => {
  for (let i = 0; i < 200 && !probe(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(probe()).toBe(true);
};

let close: (() => Promise<unknown>) | undefined;
afterEach(async () => close?.());

describe("a POST whose last byte waits for the gate", () => {
  const body = JSON.stringify({ image: "x".repeat(200_000) });

  it("has all but one byte at the server, and no complete request, until the gate opens", async () => {
    const server = await recordingServer();
    close = server.close;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const answer = postHoldingLastByte(server.url, { headers: {}, body, signal: AbortSignal.timeout(5000), beforeSend: () => gate });
    await waitUntil(() => server.seen[0]?.bytes === body.length - 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.seen[0]).toEqual({ bytes: body.length - 1, complete: false });
    open();
    const response = await answer;
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ bytes: body.length });
  });

  it("never completes the request when the gate refuses, and passes the refusal on", async () => {
    const server = await recordingServer();
    close = server.close;
    const refusal = new Error("another instance sent it");
    const failure = await postHoldingLastByte(server.url, {
      headers: {},
      body,
      signal: AbortSignal.timeout(5000),
      beforeSend: async () => {
        throw refusal;
      },
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SendRefused);
    expect((failure as SendRefused).refusal).toBe(refusal);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.seen.every((entry) => !entry.complete)).toBe(true);
  });
});
