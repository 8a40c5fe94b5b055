import { isFinalStatus, type GenerationView } from "@/lib/contracts/generation";
import type { StreamUpdate } from "@/lib/generations/generation-stream-hub";
import { handle } from "@/lib/http/respond";
import { generationIdFrom, type IdParams } from "@/lib/http/route-params";
import { requireOwner } from "@/lib/server/owner";
import { clientKey } from "@/lib/security/client-key";
import { services } from "@/lib/server/services";

const HEARTBEAT_MS = 15_000;
const encoder = new TextEncoder();
/** All streams of a generation get the same view object for a change: it is encoded once, not once per stream. */
const encodedViews = new WeakMap<GenerationView, Uint8Array>();

function eventOf(view: GenerationView): Uint8Array {
  let bytes = encodedViews.get(view);
  if (!bytes) {
    bytes = encoder.encode(`data: ${JSON.stringify(view)}\n\n`);
    encodedViews.set(view, bytes);
  }
  return bytes;
}

/**
 * Server-sent events: the generation as it is now, then again whenever it changes,
 * until it is final. Pages see a finished video the moment the server has it. With a
 * password, the stream lasts only as long as the session that opened it. Streams are
 * capped per client and in total (429: the page polls instead), and all streams of one
 * generation share one read and one view per change.
 */
export const GET = handle(async (request: Request, context: IdParams) => {
  const sessionId = await requireOwner(request);
  const id = await generationIdFrom(context);
  const { generations, streams, streamCaps, sessionWatch } = await services();
  await generations.get(id);
  const release = streamCaps.open(clientKey(request));

  let cleanup = release;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        cleanup();
        controller.close();
      };
      const session = sessionId === undefined ? undefined : sessionWatch.watch(sessionId, close);
      /** Checked in memory right before anything is written: nothing goes out once the session ended. */
      const mayWrite = () => {
        if (closed) return false;
        if (session && !session.live()) {
          close();
          return false;
        }
        return true;
      };
      const deliver = (update: StreamUpdate) => {
        if (!mayWrite()) return;
        if ("gone" in update) return close();
        controller.enqueue(eventOf(update.view));
        if (isFinalStatus(update.view.status)) close();
      };
      const stopFollowing = streams.follow(id, deliver);
      const heartbeat = setInterval(() => {
        if (mayWrite()) controller.enqueue(encoder.encode(": keep-alive\n\n"));
      }, HEARTBEAT_MS);
      cleanup = () => {
        stopFollowing();
        clearInterval(heartbeat);
        session?.stop();
        release();
      };
      request.signal.addEventListener("abort", close);
    },
    cancel: () => cleanup(),
  });
  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-store, no-transform", "X-Accel-Buffering": "no" },
  });
});
