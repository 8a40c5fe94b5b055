import type { NextConfig } from "next";
import { fileURLToPath } from "node:url";
import { parseEnv } from "./lib/env";
import { API_CONTENT_SECURITY_POLICY, NOT_EMBED_SOURCE, SECURITY_HEADERS } from "./lib/security/content-security-policy";

// Fail fast: a wrong environment value stops `next build` / `next start` with a clear message.
parseEnv();

/**
 * NEXT_OUTPUT=standalone (set by the Dockerfile and the standalone test only): a self-contained
 * server folder for the image. Off otherwise, because `next start` (what `npm start` runs)
 * does not serve a standalone build.
 */
const standalone: NextConfig =
  process.env.NEXT_OUTPUT === "standalone"
    ? {
        output: "standalone",
        // This folder, not a parent that happens to hold another lockfile: server.js lands at the top.
        outputFileTracingRoot: fileURLToPath(new URL(".", import.meta.url)),
      }
    : {};

const nextConfig: NextConfig = {
  ...standalone,
  // Lets parallel builds (e.g. a test run beside a dev session) use separate output folders.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  // Metadata always in the <head> of the first bytes, for every client: link unfurlers
  // (iMessage, Telegram, chat apps' own crawlers) are many more than Next's list of bots.
  htmlLimitedBots: /.*/,
  poweredByHeader: false,
  // No image optimizer: /_next/image would fetch any local path (our private and shared
  // posters included) and keep the result for hours, past a revoked share link or a
  // sign-out. The app serves its images itself and uses no next/image.
  images: { unoptimized: true },
  // Native and binary-shipping packages stay in node_modules instead of being bundled; so does
  // the AWS SDK (large, Node-only, and lib-storage must share client-s3's classes).
  serverExternalPackages: ["@ffmpeg-installer/ffmpeg", "better-sqlite3", "sharp", "pino", "pg", "@aws-sdk/client-s3", "@aws-sdk/lib-storage"],
  async headers() {
    return [
      // The embeddable player is framed by other sites: it sets its own headers, without X-Frame-Options.
      { source: NOT_EMBED_SOURCE, headers: SECURITY_HEADERS },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
    ];
  },
};

export default nextConfig;
