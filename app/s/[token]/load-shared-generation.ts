import "server-only";
import { cache } from "react";
import { findSharedGeneration } from "@/lib/http/find-shared-generation";

/** One store read per request, shared by the page and its metadata. */
export const loadSharedGeneration = cache(findSharedGeneration);
