import type { NextConfig } from "next";
import { parseEnv } from "./lib/env";

// Fail fast: a wrong environment value stops `next build` / `next start` with a clear message.
parseEnv();

const nextConfig: NextConfig = {
  // Lets parallel builds (e.g. a test run beside a dev session) use separate output folders.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and binary-shipping packages stay in node_modules instead of being bundled.
  serverExternalPackages: ["@ffmpeg-installer/ffmpeg", "better-sqlite3", "sharp", "pino", "pg"],
};

export default nextConfig;
