import "server-only";
import { cache } from "react";
import { loadShareCard } from "@/lib/share/load-share-card";

/** One store read per request, shared by the page and its metadata. */
export const loadSharedVideo = cache(loadShareCard);
