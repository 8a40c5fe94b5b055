import "server-only";
import sharp from "sharp";
import { env } from "@/lib/env";
import { createWorkSlots, type WorkSlots } from "./work-slots";

const holder = globalThis as unknown as { portraitLiveDecodeSlots?: WorkSlots };

/**
 * The one queue every image decode of this process goes through (route bundles each load
 * their own copy of this module, hence the global): IMAGE_DECODE_CONCURRENCY at once, a few
 * waiting, the rest refused. Each decode runs on one libvips thread and keeps no cache, so
 * memory and CPU follow the slot count, not the number of requests.
 */
export function imageDecodeSlots(): WorkSlots {
  if (!holder.portraitLiveDecodeSlots) {
    sharp.cache(false);
    sharp.concurrency(1);
    const concurrency = env().IMAGE_DECODE_CONCURRENCY;
    holder.portraitLiveDecodeSlots = createWorkSlots({
      concurrency,
      maxWaiting: 4 * concurrency,
      busyMessage: "This server is busy reading other images right now.",
    });
  }
  return holder.portraitLiveDecodeSlots;
}
