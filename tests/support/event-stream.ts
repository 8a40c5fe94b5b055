import { expect } from "vitest";

/** A generation's event stream held open the way a page holds it, read in the background. */
export interface OpenStream {
  /** Data events received so far. */
  events(): number;
  /** Settles with the time the server ended the stream. */
  ended: Promise<number>;
  /** Whether the server has ended the stream. */
  isEnded(): boolean;
  /** Lets go of the stream (for one the test leaves open). */
  close(): Promise<void>;
}

export async function openEventStream(baseUrl: string, generationId: string, cookie: string, headers: Record<string, string> = {}): Promise<OpenStream> {
  const response = await fetch(`${baseUrl}/api/generations/${generationId}/events`, { headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers } });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream");
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let endedAt: number | undefined;
  let cancelled = false;
  const ended = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) break;
      text += value;
    }
    endedAt = Date.now();
    return endedAt;
  })();
  return {
    events: () => text.split("\n\n").filter((chunk) => chunk.startsWith("data: ")).length,
    ended,
    isEnded: () => endedAt !== undefined && !cancelled,
    async close() {
      cancelled = true;
      await reader.cancel().catch(() => undefined);
      await ended;
    },
  };
}

/** Resolves with how long after `since` the stream ended, or fails past `withinMs`. */
export async function endsWithin(stream: OpenStream, since: number, withinMs: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the stream was still open ${withinMs} ms later`)), withinMs);
  });
  try {
    return (await Promise.race([stream.ended, timeout])) - since;
  } finally {
    clearTimeout(timer);
  }
}
