import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createProcessCoordination } from "@/lib/coordination/process-coordination";
import { CLOCK_ALLOWANCE_SECONDS, newSessionRecord } from "@/lib/sessions/session-policy";
import type { SessionRecord } from "@/lib/sessions/session-record";
import { createSessionWatch, type SessionWatch } from "@/lib/sessions/session-watch";

const RECHECK_MS = 5_000;
const signedIn = new Date("2026-11-30T12:00:00.000Z");

/** The session table, and every look at it. */
function sessionTable() {
  const rows = new Map<string, SessionRecord>();
  const finds: string[] = [];
  return {
    rows,
    finds,
    open(): SessionRecord {
      const record = newSessionRecord("192.0.2.1", new Date());
      rows.set(record.id, record);
      return record;
    },
    revoke(id: string) {
      rows.set(id, { ...rows.get(id)!, revokedAt: new Date().toISOString() });
    },
    find: vi.fn(async (id: string) => {
      finds.push(id);
      return rows.get(id);
    }),
  };
}

let table: ReturnType<typeof sessionTable>;
let bus: ReturnType<typeof createProcessCoordination>;
let watch: SessionWatch;
const warn = vi.fn();

beforeEach(() => {
  vi.useFakeTimers({ now: signedIn });
  table = sessionTable();
  bus = createProcessCoordination();
  warn.mockClear();
  watch = createSessionWatch({ find: table.find, bus, recheckMs: RECHECK_MS, warn });
});

afterEach(() => {
  watch.close();
  vi.useRealTimers();
});

/** Lets the watch's first look at a newly watched session finish. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe("session watch", () => {
  it("ends every watcher of a signed-out session when the bus says so, and no other session's", async () => {
    const leaving = table.open();
    const staying = table.open();
    const ended: string[] = [];
    const first = watch.watch(leaving.id, () => ended.push("leaving 1"));
    const second = watch.watch(leaving.id, () => ended.push("leaving 2"));
    const other = watch.watch(staying.id, () => ended.push("staying"));
    await settle();
    expect([first.live(), second.live(), other.live()]).toEqual([true, true, true]);

    table.revoke(leaving.id);
    bus.publish({ type: "session_ended", id: leaving.id });
    // At once, without waiting for the store.
    expect(ended).toEqual(["leaving 1", "leaving 2"]);
    expect([first.live(), second.live(), other.live()]).toEqual([false, false, true]);

    await vi.advanceTimersByTimeAsync(RECHECK_MS * 3);
    expect(ended).toEqual(["leaving 1", "leaving 2"]);
    expect(other.live()).toBe(true);
  });

  it("on sign-out everywhere, ends every watched session the store says ended, and keeps one opened since", async () => {
    const a = table.open();
    const b = table.open();
    const ended: string[] = [];
    watch.watch(a.id, () => ended.push("a"));
    watch.watch(b.id, () => ended.push("b"));
    await settle();
    table.revoke(a.id);
    table.revoke(b.id);
    const newer = table.open();
    const kept = watch.watch(newer.id, () => ended.push("newer"));
    await settle();

    bus.publish({ type: "sessions_ended" });
    await settle();
    expect(ended.sort()).toEqual(["a", "b"]);
    expect(kept.live()).toBe(true);
  });

  it("re-checks each watched session every few seconds with one look per session, however many watch it", async () => {
    const session = table.open();
    const ended = vi.fn();
    for (let i = 0; i < 50; i++) watch.watch(session.id, ended);
    await settle();
    expect(table.finds).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(RECHECK_MS);
    expect(table.finds).toHaveLength(2);

    // Signed out on an instance whose notice never arrived: the re-check finds it.
    table.revoke(session.id);
    await vi.advanceTimersByTimeAsync(RECHECK_MS);
    expect(ended).toHaveBeenCalledTimes(50);
    await vi.advanceTimersByTimeAsync(RECHECK_MS * 3);
    // Nothing left to watch: no more looks.
    expect(table.finds).toHaveLength(3);
  });

  it("ends a session that was already signed out when the watch began", async () => {
    const session = table.open();
    table.revoke(session.id);
    const ended = vi.fn();
    const watched = watch.watch(session.id, ended);
    await settle();
    expect(ended).toHaveBeenCalledOnce();
    expect(watched.live()).toBe(false);
  });

  it("knows from memory when a session expires, before any re-check", async () => {
    const session = table.open();
    const ended = vi.fn();
    const watched = watch.watch(session.id, ended);
    await settle();
    const expiresAt = Date.parse(session.expiresAt) + CLOCK_ALLOWANCE_SECONDS * 1000;
    vi.setSystemTime(expiresAt - 1);
    expect(watched.live()).toBe(true);
    vi.setSystemTime(expiresAt);
    const findsBefore = table.finds.length;
    expect(watched.live()).toBe(false);
    expect(table.finds).toHaveLength(findsBefore);
    expect(ended).toHaveBeenCalledOnce();
  });

  it("a watcher that stopped is not called, and a stale look never revives an ended session", async () => {
    const session = table.open();
    const stopped = vi.fn();
    const active = vi.fn();
    watch.watch(session.id, stopped).stop();
    const watched = watch.watch(session.id, active);
    // The store still says live while the bus already said it ended: the bus wins.
    bus.publish({ type: "session_ended", id: session.id });
    await settle();
    expect(stopped).not.toHaveBeenCalled();
    expect(active).toHaveBeenCalledOnce();
    expect(watched.live()).toBe(false);
  });

  it("keeps sessions open while the store cannot be read, and says so", async () => {
    const session = table.open();
    const ended = vi.fn();
    const watched = watch.watch(session.id, ended);
    await settle();
    table.find.mockRejectedValueOnce(new Error("connection refused"));
    await vi.advanceTimersByTimeAsync(RECHECK_MS);
    expect(ended).not.toHaveBeenCalled();
    expect(watched.live()).toBe(true);
    expect(warn).toHaveBeenCalledOnce();
  });
});
