import { ApiRequestError } from "./api-request-error";

/**
 * Where one click that starts paid work stands. Every phase but `idle` and `failed` is busy:
 * the control is disabled and a second click is refused before React re-renders.
 */
export type PaidIntentState =
  | { phase: "idle" }
  /** Offline: the frozen intent goes out when the connection returns, unless cancelled. */
  | { phase: "waiting-for-connection" }
  /** Work before the request (e.g. the framing's upload); it can still be cancelled. */
  | { phase: "preparing" }
  | { phase: "sending" }
  /** An earlier click's answer was lost: asking the server whether it created something. */
  | { phase: "checking" }
  /** Answered: the next page is on its way, and stays busy until it replaces this one. */
  | { phase: "opening" }
  /** `outcomeUnknown`: the request may have reached the server; the next different intent checks first. */
  | { phase: "failed"; error: Error; outcomeUnknown: boolean };

export interface Connection {
  isOnline(): boolean;
  /** Resolves when the browser is back online; rejects when `signal` aborts. */
  online(signal: AbortSignal): Promise<void>;
}

export interface PaidIntentOptions<Intent, Prepared, Result> {
  /** Names an intent: the same name is the same request, and replays under the same key. */
  identify: (intent: Intent) => string;
  newKey: (intent: Intent) => string;
  /** Work before the request that a cancel may stop (it is given the cancel signal). */
  prepare: (intent: Intent, signal: AbortSignal) => Promise<Prepared>;
  /** The paid request itself, under the intent's Idempotency-Key. */
  send: (prepared: Prepared, key: string) => Promise<Result>;
  /** What an earlier key created, null when it created nothing (asked only after a lost answer). */
  lookup?: (key: string) => Promise<Result | null>;
  /** The request (or an earlier one, found by `lookup`) created `result`: open it. */
  onCreated: (result: Result) => void;
  connection?: Connection;
}

const IDLE: PaidIntentState = { phase: "idle" };

/** The browser's own idea of the connection. */
export const browserConnection: Connection = {
  isOnline: () => typeof navigator === "undefined" || navigator.onLine !== false,
  online: (signal) =>
    new Promise((resolve, reject) => {
      const done = () => {
        window.removeEventListener("online", done);
        signal.removeEventListener("abort", stop);
        resolve();
      };
      const stop = () => {
        window.removeEventListener("online", done);
        reject(signal.reason);
      };
      window.addEventListener("online", done);
      signal.addEventListener("abort", stop, { once: true });
    }),
};

/** The server said no for good: nothing was created, so the key may be used again. */
const isDefinitiveRefusal = (error: unknown) => error instanceof ApiRequestError && error.status >= 400 && error.status < 500 && error.status !== 408;

const asError = (error: unknown) => (error instanceof Error ? error : new Error("Something went wrong. Try again."));

/**
 * One control that starts paid work (Generate, takes, Re-run, Retry): the intent is frozen
 * at the click and sent exactly as it was, once. One Idempotency-Key per intent, kept until
 * the intent changes (or the control goes away), so any second click replays; the control
 * stays busy from the click until the next page replaces it; offline, the intent waits for
 * the connection (cancellable) instead of being sent for inputs that changed meanwhile; and
 * after a lost answer, a different intent may start only once the server has said whether
 * the earlier one landed.
 */
export class PaidIntent<Intent, Prepared, Result> {
  private state: PaidIntentState = IDLE;
  private readonly listeners = new Set<() => void>();
  /** The intent last started and its key. */
  private keyed: { name: string; key: string } | null = null;
  /** A key whose request may have reached the server without an answer coming back. */
  private unresolvedKey: string | null = null;
  private controller: AbortController | null = null;
  /** Set at the click, synchronously: a second click in the same frame finds it. */
  private busy = false;
  private readonly connection: Connection;

  constructor(private readonly options: PaidIntentOptions<Intent, Prepared, Result>) {
    this.connection = options.connection ?? browserConnection;
  }

  getState = (): PaidIntentState => this.state;

  /** Whether a click is on its way, as of now (not as of the last render). */
  isBusyNow = (): boolean => this.busy;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Starts `intent`; false (and nothing happens) while an earlier click is still on its way. */
  start(intent: Intent): boolean {
    if (this.busy) return false;
    this.busy = true;
    // Busy on screen from the click on, and the last attempt's error gone with it.
    this.set({ phase: "preparing" });
    const controller = new AbortController();
    this.controller = controller;
    void this.run(intent, controller.signal);
    return true;
  }

  /** Stops an intent that has not been sent yet; once sent, it cannot be taken back. */
  cancel(): void {
    if (!this.cancellable()) return;
    this.controller?.abort(new DOMException("Cancelled.", "AbortError"));
  }

  cancellable(): boolean {
    const { phase } = this.state;
    return phase === "waiting-for-connection" || phase === "preparing";
  }

  /** The inputs changed: an old attempt's error no longer applies. An unknown outcome is still checked. */
  clearError = (): void => {
    if (this.state.phase === "failed") this.set(IDLE);
  };

  /** The control goes away: nothing more is sent for it. */
  dispose(): void {
    this.controller?.abort(new DOMException("Closed.", "AbortError"));
    this.listeners.clear();
  }

  private async run(intent: Intent, signal: AbortSignal): Promise<void> {
    const { identify, newKey, prepare, send, lookup, onCreated } = this.options;
    /** Whether the failure below is the paid request's own answer (not the check's or the preparation's). */
    let answeredBySend = false;
    try {
      const name = identify(intent);
      if (this.unresolvedKey !== null && this.keyed?.name !== name && lookup) {
        await this.whenOnline(signal);
        this.set({ phase: "checking" });
        const earlier = await lookup(this.unresolvedKey);
        this.unresolvedKey = null;
        if (earlier !== null) return this.created(earlier, onCreated);
      }
      if (this.keyed?.name !== name) this.keyed = { name, key: newKey(intent) };
      const { key } = this.keyed;
      await this.whenOnline(signal);
      this.set({ phase: "preparing" });
      const prepared = await prepare(intent, signal);
      for (;;) {
        await this.whenOnline(signal);
        signal.throwIfAborted();
        this.set({ phase: "sending" });
        this.unresolvedKey = key;
        try {
          const result = await send(prepared, key);
          this.unresolvedKey = null;
          return this.created(result, onCreated);
        } catch (error) {
          // Offline, the request most likely never left: send the same intent, same key, when back.
          if (error instanceof ApiRequestError && error.status === 0 && !this.connection.isOnline()) continue;
          answeredBySend = true;
          throw error;
        }
      }
    } catch (error) {
      this.busy = false;
      if (signal.aborted) return this.set(IDLE);
      // Only the request's own refusal says nothing was created; a refused check says nothing about it.
      if (answeredBySend && isDefinitiveRefusal(error)) this.unresolvedKey = null;
      this.set({ phase: "failed", error: asError(error), outcomeUnknown: this.unresolvedKey !== null });
    }
  }

  /** Stays busy: the page that shows `result` replaces this one. */
  private created(result: Result, onCreated: (result: Result) => void) {
    this.set({ phase: "opening" });
    onCreated(result);
  }

  /** Waits (cancellably, and saying so) while the browser is offline; the caller then says what it does next. */
  private async whenOnline(signal: AbortSignal) {
    signal.throwIfAborted();
    if (this.connection.isOnline()) return;
    this.set({ phase: "waiting-for-connection" });
    await this.connection.online(signal);
  }

  private set(state: PaidIntentState) {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}
