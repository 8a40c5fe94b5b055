import { controlCall } from "../../bench/support/fake-provider";
import type { Faults, FakeStats } from "./fake-upstream";

/** The fake gateway's control API, for tests that run it in another process. */
export function fakeControl(baseUrl: string) {
  const call = controlCall(baseUrl);
  return {
    stats: async () => (await call("stats")) as FakeStats,
    setFaults: (faults: Partial<Faults>) => call("faults", faults),
    reset: () => call("reset", {}),
    completeTask: (id: string) => call(`tasks/${encodeURIComponent(id)}/complete`, {}),
    failTask: (id: string, code: number | string) => call(`tasks/${encodeURIComponent(id)}/fail`, { code }),
  };
}
