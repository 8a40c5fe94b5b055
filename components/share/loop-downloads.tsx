"use client";

import { useEffect, useRef, useState } from "react";
import type { LoopStatus } from "@/lib/contracts/derived-media";

type Format = "gif" | "webp";
const FORMATS: Format[] = ["gif", "webp"];
const LABEL: Record<Format, string> = { gif: "GIF", webp: "WebP" };
const POLL_MS = 1_000;

const button =
  "rounded-lg border border-neutral-300 px-2.5 py-1.5 text-sm font-medium text-neutral-800 hover:bg-neutral-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600 disabled:opacity-60 dark:border-neutral-700 dark:text-neutral-100 dark:hover:bg-neutral-800";

/**
 * The API client (and the schemas it parses with) loads on first use, not with the page: on a
 * share page opened on a phone its bytes would otherwise share the link with the video's first.
 */
const loopsApi = () => import("@/lib/client/loops-api");
const messageOf = (reason: unknown) => (reason instanceof Error ? reason.message : String(reason));

/**
 * Animated GIF / WebP loops for chats: made on request by the server (once per video,
 * format and ping-pong), with progress, then offered as downloads. `base` is the loops
 * endpoint (the owner's or the share link's); `owner` adds the share-page switch.
 */
export function LoopDownloads({ base, owner = false, compact = false }: { base: string; owner?: boolean; compact?: boolean }) {
  const [pingPong, setPingPong] = useState(false);
  const [loops, setLoops] = useState<LoopStatus[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [shareLoops, setShareLoops] = useState<boolean | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const find = (format: Format) => loops.find((loop) => loop.format === format && loop.pingPong === pingPong);
  const waiting = loops.some((loop) => loop.state === "queued" || loop.state === "running");

  async function refresh(): Promise<void> {
    const list = await (await loopsApi()).fetchLoops(base);
    setLoops(list.loops);
    setShareLoops(list.shareLoops);
  }

  useEffect(() => {
    if (!owner) return;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the state is set when the response arrives, not during the effect
    refresh().catch(() => undefined);
    // Once, on mount: the owner's switch needs the current setting.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [base, owner]);

  useEffect(() => {
    if (!waiting) return;
    timer.current = setTimeout(() => {
      refresh().catch((reason: unknown) => setError(messageOf(reason)));
    }, POLL_MS);
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loops, waiting]);

  async function make(format: Format) {
    setError(null);
    let status: LoopStatus;
    try {
      status = await (await loopsApi()).requestLoop(base, { format, pingPong });
    } catch (reason) {
      return setError(messageOf(reason));
    }
    setLoops((current) => [...current.filter((loop) => loop.format !== format || loop.pingPong !== pingPong), status]);
  }

  async function toggleShare(allowed: boolean) {
    // Shown at once; put back if the server refuses.
    setShareLoops(allowed);
    try {
      setShareLoops((await (await loopsApi()).changeShareLoops(base, allowed)).shareLoops);
    } catch (reason) {
      setShareLoops(!allowed);
      setError(messageOf(reason));
    }
  }

  return (
    <div className={`flex flex-col gap-2 ${compact ? "text-sm" : ""}`} data-testid="loop-downloads">
      <div className="flex flex-wrap items-center gap-2">
        {compact ? null : <span className="text-sm font-medium text-neutral-800 dark:text-neutral-100">Loop for chats:</span>}
        {FORMATS.map((format) => {
          const loop = find(format);
          if (loop?.state === "ready" && loop.url) {
            return (
              <a key={format} href={loop.url} download className={button} data-testid={`loop-download-${format}`}>
                Download {LABEL[format]}
                {loop.bytes ? <span className="ml-1 text-xs text-neutral-600 dark:text-neutral-400">({(loop.bytes / 1_048_576).toFixed(1)} MB)</span> : null}
              </a>
            );
          }
          const busy = loop?.state === "queued" || loop?.state === "running";
          return (
            <button key={format} type="button" className={button} disabled={busy} onClick={() => void make(format)} data-testid={`loop-make-${format}`}>
              {busy
                ? `Making ${LABEL[format]}… ${loop?.state === "running" && loop.progress !== null ? `${Math.round(loop.progress * 100)}%` : ""}`
                : `${loop?.state === "failed" ? "Try again: " : "Make "}${LABEL[format]}`}
            </button>
          );
        })}
        <label className="flex items-center gap-1 text-sm text-neutral-700 dark:text-neutral-300">
          <input type="checkbox" checked={pingPong} onChange={(event) => setPingPong(event.target.checked)} data-testid="loop-pingpong" />
          Back and forth
        </label>
      </div>
      {owner && shareLoops !== null ? (
        <label className="flex items-center gap-1 text-sm text-neutral-700 dark:text-neutral-300">
          <input type="checkbox" checked={shareLoops} onChange={(event) => void toggleShare(event.target.checked)} data-testid="loop-share-toggle" />
          Offer loops on the share page
        </label>
      ) : null}
      <p role="status" aria-live="polite" className="text-sm text-red-700 dark:text-red-400">
        {error ?? find("gif")?.error ?? find("webp")?.error ?? ""}
      </p>
    </div>
  );
}
