import "server-only";
import { loopFileSchema, loopRequestSchema, parseLoopFile, type LoopList, type LoopStatus } from "@/lib/contracts/derived-media";
import { ApiError } from "@/lib/errors";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import { parseOrThrow } from "@/lib/http/parse";
import { readJsonBody } from "@/lib/http/read-body";
import { serveMedia } from "@/lib/http/serve-media";
import type { MediaStore } from "@/lib/media/media-store";
import { CONTENT_TYPE } from "@/lib/media/derivatives/derivative-keys";
import type { DerivativeService } from "@/lib/media/derivatives/derivative-service";
import { isLoop, requirePlayable, toLoopStatus } from "@/lib/media/derivatives/derived-media";

/** The shared steps of the owner's and the share link's loop routes: body, status code and cache headers around the derived-media service. */
export async function requestLoop(derivatives: DerivativeService, record: GenerationRecord, request: Request, fileBase: string): Promise<Response> {
  requirePlayable(record);
  const body = parseOrThrow(loopRequestSchema, await readJsonBody(request, 1024));
  const job = await derivatives.requestLoop(record.id, body.format, body.pingPong);
  const status: LoopStatus = toLoopStatus(job, fileBase);
  // 202 while it is being made (poll GET …/loops); 200 when it already exists.
  return Response.json(status, { status: job.state === "ready" ? 200 : 202, headers: { "Cache-Control": "no-store" } });
}

export async function listLoops(derivatives: DerivativeService, record: GenerationRecord, fileBase: string): Promise<Response> {
  const jobs = (await derivatives.listFor(record.id)).filter(isLoop);
  const body: LoopList = { loops: jobs.map((job) => toLoopStatus(job, fileBase)), shareLoops: await derivatives.shareLoops(record.id) };
  return Response.json(body, { headers: { "Cache-Control": "no-store" } });
}

export async function serveLoop(
  derivatives: DerivativeService,
  media: MediaStore,
  record: GenerationRecord,
  request: Request,
  file: string,
  shared: boolean,
): Promise<Response> {
  const name = parseOrThrow(loopFileSchema, file, "invalid_param");
  const { format, pingPong } = parseLoopFile(name);
  const job = await derivatives.find({ generationId: record.id, kind: format, pingPong });
  if (job?.state !== "ready" || !job.mediaKey) throw new ApiError("not_found", "This loop has not been made yet.");
  return serveMedia(request, {
    media,
    key: job.mediaKey,
    contentType: CONTENT_TYPE[format],
    downloadName: `portrait-${record.id.slice(0, 8)}${pingPong ? "-pingpong" : ""}.${format}`,
    cacheControl: shared ? "public, no-cache" : undefined,
  });
}

/** Visitors of a share link may make loops only while the owner allows it. */
export async function requireSharedLoops(derivatives: DerivativeService, record: GenerationRecord): Promise<void> {
  if (!(await derivatives.shareLoops(record.id))) throw new ApiError("forbidden", "The owner has turned loop downloads off for this video.");
}
