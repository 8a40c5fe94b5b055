import type { Faults, FakeStats } from "./fake-upstream";

/** The fake gateway's control API, for tests that run it in another process. */
export function fakeControl(baseUrl: string) {
  const call = async (path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}/__control/${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`fake upstream control ${path} answered ${response.status}`);
    return response.json() as Promise<unknown>;
  };
  return {
    stats: async () => (await call("stats")) as FakeStats,
    setFaults: (faults: Partial<Faults>) => call("faults", faults),
    reset: () => call("reset", {}),
    completeTask: (id: string) => call(`tasks/${encodeURIComponent(id)}/complete`, {}),
    failTask: (id: string, code: number | string) => call(`tasks/${encodeURIComponent(id)}/fail`, { code }),
  };
}
