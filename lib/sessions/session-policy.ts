import "server-only";
import { randomBytes } from "node:crypto";
import type { SessionRecord } from "./session-record";

/** A session lasts this long from sign-in; using it does not extend it. */
export const SESSION_LIFETIME_SECONDS = 30 * 24 * 60 * 60;

/**
 * How far clocks may disagree: the sealed cookie (iron-session) is accepted up to 60 s
 * past its expiry for that reason, and the server-side record gets the same allowance, so
 * instances whose clocks differ a little agree on when a session ends.
 */
export const CLOCK_ALLOWANCE_SECONDS = 60;

export function newSessionRecord(client: string, now: Date): SessionRecord {
  return {
    // 144 random bits; the id only ever travels inside the sealed, signed cookie.
    id: randomBytes(18).toString("base64url"),
    client,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SESSION_LIFETIME_SECONDS * 1000).toISOString(),
    revokedAt: null,
  };
}

/** When the session stops being open, in ms since the epoch: its expiry plus the clock allowance, or never was once signed out. */
export function liveUntil(record: SessionRecord): number {
  if (record.revokedAt !== null) return -Infinity;
  return Date.parse(record.expiresAt) + CLOCK_ALLOWANCE_SECONDS * 1000;
}

/** Open: not signed out, and not past its expiry (plus the clock allowance). */
export function isLive(record: SessionRecord, now: Date): boolean {
  return now.getTime() < liveUntil(record);
}

/** Sessions expired longer ago than the allowance can be forgotten. */
export const forgetBefore = (now: Date) => new Date(now.getTime() - CLOCK_ALLOWANCE_SECONDS * 1000).toISOString();
