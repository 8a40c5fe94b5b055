import { movedRoute } from "@/lib/http/moved-route";

/** Renamed to `input` (the cropped portrait, not a video frame); kept as a redirect for one release. */
export const GET = movedRoute("poster", "input");
