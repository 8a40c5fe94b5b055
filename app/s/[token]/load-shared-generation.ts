import "server-only";
import { cache } from "react";
import { sharedVideoFor } from "@/lib/server/shared-videos";

/** One store read per request, shared by the page and its metadata. */
export const loadSharedVideo = cache(sharedVideoFor);
