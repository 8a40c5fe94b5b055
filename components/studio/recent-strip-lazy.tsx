"use client";

import dynamic from "next/dynamic";

/** Below the fold and data-driven: loaded after the studio is interactive. */
export const RecentStripLazy = dynamic(() => import("./recent-strip").then((module) => module.RecentStrip), { ssr: false });
