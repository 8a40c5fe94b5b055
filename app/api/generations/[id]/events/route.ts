import { isFinalStatus } from "@/lib/contracts/generation";
import { streamPresenter } from "@/lib/generations/present-generations";
import { handle } from "@/lib/http/respond";
import { generationIdFrom, type IdParams } from "@/lib/http/route-params";
import { requireOwner } from "@/lib/server/owner";
import { services } from "@/lib/server/services";

const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events: the generation as it is now, then again whenever it changes,
 * until it is final. Pages see a finished video the moment the server has it. With a
 * password, the stream lasts only as long as the session that opened it.
 */
export const GET = handle(async (request: Request, context: IdParams) => {
  const sessionId = await requireOwner(request);
  const id = await generationIdFrom(context);
  const sources = await services();
  const { generations, events, sessionWatch } = sources;
  await generations.get(id);
  // One presenter per stream: it skips lookups a change cannot have altered.
  const presenter = streamPresenter(sources);

  const encoder = new TextEncoder();
  let cleanup = () => {};
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
      const send = async () => {
        const record = await generations.get(id).catch(() => undefined);
        if (closed) return;
        if (!record) return close();
        const view = await presenter.presentOne(record);
        if (!mayWrite()) return;
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(view)}\n\n`));
        if (isFinalStatus(view.status)) close();
      };
      const unsubscribe = events.subscribe(id, () => void send());
      const heartbeat = setInterval(() => {
        if (mayWrite()) controller.enqueue(encoder.encode(": keep-alive\n\n"));
      }, HEARTBEAT_MS);
      cleanup = () => {
        unsubscribe();
        clearInterval(heartbeat);
        session?.stop();
      };
      request.signal.addEventListener("abort", close);
      void send();
    },
    cancel: () => cleanup(),
  });
  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-store, no-transform", "X-Accel-Buffering": "no" },
  });
});
