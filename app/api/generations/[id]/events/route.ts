import { isFinalStatus } from "@/lib/contracts/generation";
import { toGenerationView } from "@/lib/generations/to-generation-view";
import { withVideoDimensions } from "@/lib/media/derivatives/video-dimensions";
import { handle } from "@/lib/http/respond";
import { generationIdFrom, type IdParams } from "@/lib/http/route-params";
import { requireOwner } from "@/lib/security/access";
import { services } from "@/lib/server/services";
import { annotateView } from "@/lib/takes/annotate-views";

const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events: the generation as it is now, then again whenever it changes,
 * until it is final. Pages see a finished video the moment the server has it.
 */
export const GET = handle(async (request: Request, context: IdParams) => {
  await requireOwner(request);
  const id = await generationIdFrom(context);
  const { generations, events, viewContext, takes, queue } = await services();
  await generations.get(id);

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
      const send = async () => {
        const record = await generations.get(id).catch(() => undefined);
        if (closed) return;
        if (!record) return close();
        const view = await withVideoDimensions(await annotateView(toGenerationView(record, viewContext), { takes, queue }));
        if (closed) return;
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(view)}\n\n`));
        if (isFinalStatus(view.status)) close();
      };
      const unsubscribe = events.subscribe(id, () => void send());
      const heartbeat = setInterval(() => controller.enqueue(encoder.encode(": keep-alive\n\n")), HEARTBEAT_MS);
      cleanup = () => {
        unsubscribe();
        clearInterval(heartbeat);
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
