import "server-only";
import type { Logger } from "pino";
import type { GenerationRepository } from "@/lib/generations/generation-repository";

export interface Claims {
  /** Claims a generation and starts following it; does nothing when another instance holds it. */
  adopt(id: string): Promise<void>;
  /** Renews this instance's claims, lets go of any it lost, and adopts generations nobody follows. */
  keep(): Promise<void>;
  /** Takes every unfinished generation nobody else holds, then keeps claims every third of a lease. */
  start(): Promise<void>;
  stop(): void;
}

/**
 * Where several instances share the store, each generation is followed by the one instance
 * that claimed it; the others take it over only when that claim runs out.
 */
export function createClaims(options: {
  repository: Pick<GenerationRepository, "claim" | "renewClaims" | "listUnfinished">;
  instanceId: string;
  leaseMs: number;
  now: () => number;
  log: Logger;
  /** The generations followed here, and whether a step is running for one. */
  follows: (id: string) => boolean;
  isRunning: (id: string) => boolean;
  followed: () => string[];
  /** Start following a generation just claimed. */
  follow: (id: string) => void;
  /** Stop following a generation another instance took over. */
  letGo: (id: string) => void;
}): Claims {
  const { repository, instanceId, log } = options;
  const claiming = new Set<string>();
  let heartbeat: NodeJS.Timeout | null = null;
  let stopped = false;

  const leaseEnd = () => new Date(options.now() + options.leaseMs).toISOString();

  async function adopt(id: string) {
    if (stopped || options.follows(id) || claiming.has(id)) return;
    claiming.add(id);
    try {
      const claimed = await repository.claim(id, { owner: instanceId, until: leaseEnd(), now: new Date(options.now()).toISOString() });
      if (claimed && !stopped) options.follow(id);
    } finally {
      claiming.delete(id);
    }
  }

  async function keep() {
    // Only generations claimed before the renewal started can be missing from its answer for a reason.
    const followedBefore = options.followed();
    const held = new Set(await repository.renewClaims(instanceId, leaseEnd()));
    for (const id of followedBefore) {
      if (options.follows(id) && !held.has(id) && !options.isRunning(id)) {
        log.warn({ generationId: id }, "another instance took this generation over; letting go");
        options.letGo(id);
      }
    }
    const unfinished = await repository.listUnfinished();
    await Promise.all(unfinished.filter((record) => !options.follows(record.id)).map((record) => adopt(record.id)));
  }

  return {
    adopt,
    keep,
    async start() {
      stopped = false;
      await keep();
      // The next round starts when the last has finished, so a slow store never stacks them up.
      const beat = () => {
        heartbeat = setTimeout(
          () => {
            keep()
              .catch((error: unknown) => log.error({ err: error }, "renewing generation claims failed"))
              .finally(() => {
                if (!stopped) beat();
              });
          },
          Math.max(1, Math.floor(options.leaseMs / 3)),
        );
        heartbeat.unref?.();
      };
      beat();
    },
    stop() {
      stopped = true;
      if (heartbeat) clearTimeout(heartbeat);
      heartbeat = null;
    },
  };
}
