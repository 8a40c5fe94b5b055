import { z } from "zod";
import type { BusMessage } from "./coordination";

const envelopeSchema = z.object({
  sender: z.string(),
  body: z.discriminatedUnion("type", [
    z.object({ type: z.literal("changed"), id: z.string().min(1).max(64) }),
    z.object({ type: z.literal("nudge"), id: z.string().min(1).max(64) }),
    z.object({ type: z.literal("derivatives_queued") }),
    z.object({ type: z.literal("session_ended"), id: z.string().min(1).max(64) }),
    z.object({ type: z.literal("sessions_ended") }),
  ]),
});

/** A notification from another instance; anything else on the channel is ignored. */
export function parseBusMessage(payload: string | undefined): { sender: string; body: BusMessage } | null {
  if (!payload) return null;
  try {
    const parsed = envelopeSchema.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
