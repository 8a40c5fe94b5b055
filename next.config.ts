import type { NextConfig } from "next";
import { parseEnv } from "./lib/env";
import { API_CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from "./lib/security/content-security-policy";

// Fail fast: a wrong environment value stops `next build` / `next start` with a clear message.
parseEnv();

const nextConfig: NextConfig = {
  // Lets parallel builds (e.g. a test run beside a dev session) use separate output folders.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and binary-shipping packages stay in node_modules instead of being bundled.
  serverExternalPackages: ["@ffmpeg-installer/ffmpeg", "better-sqlite3", "sharp", "pino", "pg"],
  async headers() {
    return [
      { source: "/:path*", headers: SECURITY_HEADERS },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
    ];
  },
};

export default nextConfig;
