import { ApiError } from "@/lib/errors";

export interface StreamLimits {
  perClient: number;
  total: number;
}

/** Open event streams, counted per client and in total on this instance. */
export interface StreamCaps {
  /** Takes a place for one stream, or refuses with 429; the returned function gives it back (once). */
  open(clientKey: string): () => void;
}

/** A refused page polls in the meantime; this is when trying a stream again makes sense. */
const RETRY_AFTER_SECONDS = 30;

export function createStreamCaps(limits: StreamLimits): StreamCaps {
  const byClient = new Map<string, number>();
  let total = 0;
  const refuse = (message: string) => new ApiError("rate_limited", message, undefined, { retryAfterSeconds: RETRY_AFTER_SECONDS });

  return {
    open(clientKey) {
      const mine = byClient.get(clientKey) ?? 0;
      if (mine >= limits.perClient) {
        throw refuse(`You have ${limits.perClient} live updates open already; this page checks for changes every few seconds instead.`);
      }
      if (total >= limits.total) {
        throw refuse("This server has too many live updates open right now; this page checks for changes every few seconds instead.");
      }
      byClient.set(clientKey, mine + 1);
      total++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total--;
        const left = (byClient.get(clientKey) ?? 1) - 1;
        if (left > 0) byClient.set(clientKey, left);
        else byClient.delete(clientKey);
      };
    },
  };
}
