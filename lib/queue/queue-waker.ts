/**
 * Starts the oldest waiting generations when a slot may have freed. Wakes that arrive while
 * one is running fold into one more round after it, so a burst of finishes costs two reads.
 */
export function createQueueWaker(deps: { oldestWaiting: () => Promise<string[]>; kick: (id: string) => void; onError: (error: unknown) => void }): {
  wake(): void;
} {
  let running = false;
  let again = false;
  const round = () => {
    running = true;
    deps
      .oldestWaiting()
      .then((ids) => ids.forEach((id) => deps.kick(id)))
      .catch(deps.onError)
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          round();
        }
      });
  };
  return {
    wake() {
      if (running) again = true;
      else round();
    },
  };
}
