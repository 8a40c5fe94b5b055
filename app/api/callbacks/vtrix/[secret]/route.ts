import { z } from "zod";
import { CALLBACK_SECRET_PATTERN } from "@/lib/generations/ids";
import { MAX_CALLBACK_BODY_BYTES } from "@/lib/http/limits";
import { parseOrThrow } from "@/lib/http/parse";
import { readJsonBody } from "@/lib/http/read-body";
import { handle } from "@/lib/http/respond";
import { services } from "@/lib/server/services";

const secretSchema = z.string().regex(CALLBACK_SECRET_PATTERN, "Not a valid callback address.");
const challengeSchema = z.looseObject({ challenge: z.string().max(1024) });

/**
 * Provider notifications. The body is never trusted: a known secret makes the tracker
 * re-read the task from the provider right away; a task id in it counts only once the
 * provider confirms that task exists (a create whose answer was lost).
 */
export const POST = handle(async (request: Request, context: { params: Promise<{ secret: string }> }) => {
  const secret = parseOrThrow(secretSchema, (await context.params).secret, "not_found");
  const body = await readJsonBody(request, MAX_CALLBACK_BODY_BYTES);
  const { generations } = await services();
  await generations.notifyFromCallback(secret, body);
  // MiniMax-style endpoint verification: echo the challenge back.
  const challenge = challengeSchema.safeParse(body);
  return Response.json(challenge.success ? { challenge: challenge.data.challenge } : { ok: true });
});
