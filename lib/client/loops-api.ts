import { loopListSchema, loopStatusSchema, type LoopRequest } from "@/lib/contracts/derived-media";
import { requestJson } from "./request-json";

/** The loops endpoint (`base`: the owner's or the share link's) as the browser uses it. */
export const fetchLoops = (base: string) => requestJson(loopListSchema, base, { cache: "no-store" });

export const requestLoop = (base: string, request: LoopRequest) =>
  requestJson(loopStatusSchema, base, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request) });

export const changeShareLoops = (base: string, shareLoops: boolean) =>
  requestJson(loopListSchema, base, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ shareLoops }) });
