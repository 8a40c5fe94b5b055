import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/** Constant-time comparison: hashing first makes both sides the same length. */
export function passwordMatches(candidate: string, expected: string): boolean {
  return timingSafeEqual(digest(candidate), digest(expected));
}

/** Stored in the session so that changing APP_PASSWORD signs everyone out. */
export function passwordVersion(password: string): string {
  return digest(`portrait-live-session:${password}`).toString("base64url").slice(0, 16);
}
