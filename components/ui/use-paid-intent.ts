"use client";

import { useEffect, useState, useSyncExternalStore } from "react";
import { PaidIntent, type PaidIntentOptions, type PaidIntentState } from "@/lib/client/paid-intent";

const IDLE: PaidIntentState = { phase: "idle" };

/** Busy from the click until the next page replaces this one (or the attempt fails or is cancelled). */
export const isBusy = (state: PaidIntentState) => state.phase !== "idle" && state.phase !== "failed";

/**
 * A control that starts paid work, for as long as the component lives: see PaidIntent.
 * Options are read once; what they call must stay valid for the component's life.
 */
export function usePaidIntent<Intent, Prepared, Result>(options: PaidIntentOptions<Intent, Prepared, Result>) {
  const [intent] = useState(() => new PaidIntent(options));
  useEffect(() => () => intent.dispose(), [intent]);
  const state = useSyncExternalStore(intent.subscribe, intent.getState, () => IDLE);
  return {
    state,
    busy: isBusy(state),
    error: state.phase === "failed" ? state.error : null,
    /** False when an earlier click is still on its way (checked before any re-render). */
    start: (value: Intent) => intent.start(value),
    cancel: () => intent.cancel(),
    cancellable: state.phase === "waiting-for-connection" || state.phase === "preparing",
    clearError: intent.clearError,
    /** For handlers that outlive a render (paste, timers): stable across renders. */
    isBusyNow: intent.isBusyNow,
  };
}

/** Re-runs and retries: the intent is the control itself, so any second click replays its key. */
export function useRepeatIntent<Result>(options: { send: (key: string) => Promise<Result>; newKey: () => string; onCreated: (result: Result) => void }) {
  const paid = usePaidIntent<void, void, Result>({
    identify: () => "this",
    newKey: options.newKey,
    prepare: async () => undefined,
    send: (_prepared, key) => options.send(key),
    onCreated: options.onCreated,
  });
  return { ...paid, start: () => paid.start() };
}
