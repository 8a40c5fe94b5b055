"use client";

import { useEffect, useState } from "react";

type FrameEditorModule = typeof import("./frame-editor");

let loaded: FrameEditorModule | null = null;
let loading: Promise<FrameEditorModule> | null = null;
const load = () => (loading ??= import("./frame-editor").then((module) => (loaded = module)));

/**
 * The cropper, kept out of the first load and fetched right after the page is up.
 * A plain module import rather than a Suspense boundary, so a drop shows the frame
 * without React's reveal delay.
 */
export function useFrameEditor(): FrameEditorModule["FrameEditor"] | null {
  const [module, setModule] = useState<FrameEditorModule | null>(loaded);
  useEffect(() => {
    if (module) return;
    let cancelled = false;
    void load().then((ready) => {
      if (!cancelled) setModule(ready);
    });
    return () => {
      cancelled = true;
    };
  }, [module]);
  return module?.FrameEditor ?? null;
}
