"use client";

import { useEffect, useRef } from "react";
import { isFinalStatus, type GenerationStatus } from "@/lib/contracts/generation";

/**
 * When takes or queued work finish while the page is in the background, the tab title
 * counts them ("✓ 2 done · Portrait Live") and, if the user allowed it, a notification says so.
 * The count clears when the page is looked at again.
 */
export function useDoneNotifications(items: ReadonlyArray<{ id: string; status: GenerationStatus }>) {
  const previous = useRef<Map<string, GenerationStatus> | null>(null);
  const done = useRef(0);
  const baseTitle = useRef<string | null>(null);

  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState !== "visible" || done.current === 0) return;
      done.current = 0;
      if (baseTitle.current !== null) document.title = baseTitle.current;
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, []);

  useEffect(() => {
    const before = previous.current;
    previous.current = new Map(items.map((item) => [item.id, item.status]));
    if (!before) return;
    const finished = items.filter((item) => isFinalStatus(item.status) && before.has(item.id) && !isFinalStatus(before.get(item.id)!));
    if (finished.length === 0 || document.visibilityState === "visible") return;
    baseTitle.current ??= document.title.replace(/^✓ \d+ done · /u, "");
    done.current += finished.length;
    document.title = `✓ ${done.current} done · ${baseTitle.current}`;
    if (typeof Notification !== "undefined" && Notification.permission === "granted") {
      const failed = finished.filter((item) => item.status === "failed").length;
      const body = `${finished.length === 1 ? "A video is" : `${finished.length} videos are`} ready${failed ? ` (${failed} failed)` : ""}.`;
      new Notification("Portrait Live", { body, tag: "portrait-live-done" });
    }
  }, [items]);
}
