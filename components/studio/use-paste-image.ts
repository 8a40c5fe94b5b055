"use client";

import { useEffect } from "react";

/** Calls back with the first image pasted anywhere on the page (not while typing into a field). */
export function usePasteImage(onImage: (file: File) => void): void {
  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT")) return;
      const file = [...(event.clipboardData?.files ?? [])].find((candidate) => candidate.type.startsWith("image/")) ?? event.clipboardData?.files[0];
      if (file) {
        event.preventDefault();
        onImage(file);
      }
    };
    window.addEventListener("paste", onPaste);
    return () => window.removeEventListener("paste", onPaste);
  }, [onImage]);
}
