"use client";

import { useCallback, useState } from "react";

/** Copies text and reports "copied" for a moment, or that the browser refused. */
export function useCopy(): { copied: boolean; failed: boolean; copy: (text: string) => Promise<void> } {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = useCallback(async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
    setTimeout(() => setState("idle"), 2000);
  }, []);
  return { copied: state === "copied", failed: state === "failed", copy };
}
