import { describe, expect, it } from "vitest";
import { CLOCK_ALLOWANCE_SECONDS, forgetBefore, isLive, newSessionRecord, SESSION_LIFETIME_SECONDS } from "@/lib/sessions/session-policy";

describe("session lifetime", () => {
  const signedIn = new Date("2026-11-30T12:00:00.000Z");
  const at = (seconds: number) => new Date(signedIn.getTime() + seconds * 1000);

  it("is 30 days from sign-in, with a 60-second clock allowance", () => {
    expect(SESSION_LIFETIME_SECONDS).toBe(30 * 24 * 60 * 60);
    expect(CLOCK_ALLOWANCE_SECONDS).toBe(60);
    const record = newSessionRecord("192.0.2.1", signedIn);
    expect(record.expiresAt).toBe("2026-12-30T12:00:00.000Z");
    expect(isLive(record, at(0))).toBe(true);
    expect(isLive(record, at(SESSION_LIFETIME_SECONDS - 1))).toBe(true);
    expect(isLive(record, at(SESSION_LIFETIME_SECONDS + CLOCK_ALLOWANCE_SECONDS - 1))).toBe(true);
    expect(isLive(record, at(SESSION_LIFETIME_SECONDS + CLOCK_ALLOWANCE_SECONDS))).toBe(false);
  });

  it("ends at once when signed out", () => {
    const record = { ...newSessionRecord("192.0.2.1", signedIn), revokedAt: at(5).toISOString() };
    expect(isLive(record, at(6))).toBe(false);
  });

  it("gives every session its own unguessable id", () => {
    const ids = new Set(Array.from({ length: 100 }, () => newSessionRecord("x", signedIn).id));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });

  it("forgets a session only after the allowance has passed too", () => {
    expect(forgetBefore(at(SESSION_LIFETIME_SECONDS + CLOCK_ALLOWANCE_SECONDS))).toBe(newSessionRecord("x", signedIn).expiresAt);
  });
});
