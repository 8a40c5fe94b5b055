import { describe, expect, it } from "vitest";
import { ApiRequestError } from "@/lib/client/api-request-error";
import { PaidIntent, type Connection, type PaidIntentOptions } from "@/lib/client/paid-intent";

/** A connection the test switches on and off. */
function fakeConnection(online = true) {
  let listeners: Array<() => void> = [];
  const connection: Connection & { set(next: boolean): void } = {
    isOnline: () => online,
    online: (signal) =>
      new Promise((resolve, reject) => {
        listeners.push(resolve);
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      }),
    set(next) {
      online = next;
      if (!next) return;
      const waiting = listeners;
      listeners = [];
      for (const resolve of waiting) resolve();
    },
  };
  return connection;
}

const lostConnection = () => new ApiRequestError("The server could not be reached.", 0, "network");
const serverError = () => new ApiRequestError("Try again shortly.", 503, "unavailable");
const refusal = () => new ApiRequestError("The prompt is too long.", 400, "invalid_body", "prompt");

/** A paid control whose server answers from a script (one answer per request) and records what it was sent. */
function scripted(answers: Array<"ok" | Error>, options: Partial<PaidIntentOptions<string, string, string>> = {}) {
  const sent: Array<{ intent: string; key: string }> = [];
  const opened: string[] = [];
  const looked: string[] = [];
  let keys = 0;
  const intent = new PaidIntent<string, string, string>({
    identify: (value) => value,
    newKey: () => `key-${++keys}`,
    prepare: async (value) => value,
    send: async (value, key) => {
      sent.push({ intent: value, key });
      const answer = answers.shift() ?? "ok";
      if (answer instanceof Error) throw answer;
      return `created-${sent.length}`;
    },
    lookup: async (key) => {
      looked.push(key);
      return null;
    },
    onCreated: (result) => void opened.push(result),
    connection: fakeConnection(),
    ...options,
  });
  return { intent, sent, opened, looked };
}

/** Lets the intent's promises run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("a paid control", () => {
  it("starts once for clicks made before anything re-renders, and stays busy after the answer", async () => {
    const { intent, sent, opened } = scripted(["ok"]);
    expect(intent.start("smile")).toBe(true);
    expect(intent.start("smile")).toBe(false);
    expect(intent.start("smile")).toBe(false);
    await settle();
    expect(intent.getState().phase).toBe("opening");
    // The next page is still loading: a click now must not start a second task.
    expect(intent.start("smile")).toBe(false);
    await settle();
    expect(sent).toHaveLength(1);
    expect(opened).toEqual(["created-1"]);
  });

  it("replays the same intent under the same key after a lost answer or a 5xx", async () => {
    const { intent, sent, looked } = scripted([lostConnection(), serverError(), "ok"]);
    intent.start("smile");
    await settle();
    expect(intent.getState()).toMatchObject({ phase: "failed", outcomeUnknown: true });
    intent.start("smile");
    await settle();
    intent.start("smile");
    await settle();
    expect(sent.map((request) => request.key)).toEqual(["key-1", "key-1", "key-1"]);
    expect(looked).toEqual([]);
  });

  it("after a lost answer, asks whether it landed before an edited intent starts, and opens what it made", async () => {
    const { intent, sent, opened, looked } = scripted([lostConnection()], { lookup: async (key) => (looked.push(key), "created-earlier") });
    intent.start("smile");
    await settle();
    intent.start("smile.");
    await settle();
    expect(looked).toEqual(["key-1"]);
    expect(sent).toEqual([{ intent: "smile", key: "key-1" }]);
    expect(opened).toEqual(["created-earlier"]);
    expect(intent.getState().phase).toBe("opening");
  });

  it("after a lost answer that created nothing, starts the edited intent under a new key", async () => {
    const { intent, sent, looked } = scripted([lostConnection(), "ok"]);
    intent.start("smile");
    await settle();
    intent.start("smile.");
    await settle();
    expect(looked).toEqual(["key-1"]);
    expect(sent).toEqual([
      { intent: "smile", key: "key-1" },
      { intent: "smile.", key: "key-2" },
    ]);
  });

  it.each([
    ["cannot reach the server", lostConnection()],
    ["is refused (signed out, say)", new ApiRequestError("Sign in to use Portrait Live on this server.", 401, "unauthorized")],
  ])("keeps the earlier click's outcome unknown when the check itself %s", async (_, failure) => {
    const { intent, sent } = scripted([lostConnection()], {
      lookup: async () => {
        throw failure;
      },
    });
    intent.start("smile");
    await settle();
    intent.start("nod");
    await settle();
    expect(intent.getState()).toMatchObject({ phase: "failed", outcomeUnknown: true });
    expect(sent).toHaveLength(1);
  });

  it("shows the click as busy at once, and the last attempt's error is gone with it", async () => {
    const { intent } = scripted([refusal(), "ok"]);
    intent.start("smile");
    await settle();
    expect(intent.getState().phase).toBe("failed");
    intent.start("nod");
    expect(intent.getState().phase).toBe("preparing");
  });

  it("after a refusal (nothing was created), an edited intent needs no check", async () => {
    const { intent, sent, looked } = scripted([refusal(), "ok"]);
    intent.start("smile");
    await settle();
    expect(intent.getState()).toMatchObject({ phase: "failed", outcomeUnknown: false });
    intent.start("nod");
    await settle();
    expect(looked).toEqual([]);
    expect(sent.map((request) => request.key)).toEqual(["key-1", "key-2"]);
  });

  it("offline, waits for the connection and then sends the intent frozen at the click, once", async () => {
    const connection = fakeConnection(false);
    const { intent, sent } = scripted(["ok"], { connection });
    intent.start("smile");
    await settle();
    expect(intent.getState().phase).toBe("waiting-for-connection");
    expect(intent.cancellable()).toBe(true);
    expect(intent.start("nod")).toBe(false);
    connection.set(true);
    await settle();
    expect(sent).toEqual([{ intent: "smile", key: "key-1" }]);
    expect(intent.getState().phase).toBe("opening");
  });

  it("offline, Cancel drops the intent: nothing is sent when the connection returns", async () => {
    const connection = fakeConnection(false);
    const { intent, sent } = scripted(["ok"], { connection });
    intent.start("smile");
    await settle();
    intent.cancel();
    await settle();
    expect(intent.getState().phase).toBe("idle");
    connection.set(true);
    await settle();
    expect(sent).toEqual([]);
    // A new click is a new attempt.
    expect(intent.start("nod")).toBe(true);
    await settle();
    expect(sent).toEqual([{ intent: "nod", key: "key-2" }]);
  });

  it("a request that failed because the browser went offline is sent again, same key, when it is back", async () => {
    const connection = fakeConnection(true);
    const { intent, sent } = scripted([], {
      connection,
      send: async (value, key) => {
        sent.push({ intent: value, key });
        if (sent.length === 1) {
          connection.set(false);
          throw lostConnection();
        }
        return "created";
      },
    });
    intent.start("smile");
    await settle();
    expect(intent.getState().phase).toBe("waiting-for-connection");
    connection.set(true);
    await settle();
    expect(sent).toEqual([
      { intent: "smile", key: "key-1" },
      { intent: "smile", key: "key-1" },
    ]);
  });

  it("Cancel while preparing withdraws the preparation; once sent, nothing can be cancelled", async () => {
    let release: (value: string) => void = () => undefined;
    let withdrawn = false;
    const { intent, sent } = scripted(["ok"], {
      prepare: (value, signal) =>
        new Promise((resolve, reject) => {
          release = resolve;
          signal.addEventListener("abort", () => ((withdrawn = true), reject(signal.reason)));
        }),
    });
    intent.start("smile");
    await settle();
    expect(intent.getState().phase).toBe("preparing");
    intent.cancel();
    await settle();
    expect(withdrawn).toBe(true);
    expect(intent.getState().phase).toBe("idle");
    release("smile");
    await settle();
    expect(sent).toEqual([]);
  });

  it("a new photo clears the last attempt's error", async () => {
    const { intent } = scripted([refusal()]);
    intent.start("smile");
    await settle();
    expect(intent.getState().phase).toBe("failed");
    intent.clearError();
    expect(intent.getState().phase).toBe("idle");
  });
});
