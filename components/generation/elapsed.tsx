"use client";

import { useEffect, useState } from "react";

const format = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;

/** Time since `since`, ticking every second until `until` is set. */
export function Elapsed({ since, until }: { since: string; until?: string | null }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [until]);
  const end = until ? Date.parse(until) : now;
  // The server's clock and the browser's differ by the time the page took to arrive.
  return (
    <span className="tabular-nums" suppressHydrationWarning>
      {format(Math.max(0, Math.round((end - Date.parse(since)) / 1000)))}
    </span>
  );
}
