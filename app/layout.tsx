import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { VIDEO_SPEC } from "@/lib/contracts/video-spec";
import "./globals.css";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: "Portrait Live",
  description: `Turn a portrait photo into a ${VIDEO_SPEC.durationSeconds}-second ${VIDEO_SPEC.resolution} video.`,
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#fafafa" },
    { media: "(prefers-color-scheme: dark)", color: "#0a0a0a" },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The studio's password notice marks <html> before hydration when dismissed (components/layout/exposure-notice.tsx).
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-dvh">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
