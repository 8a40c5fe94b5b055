/**
 * Whether `count` more generations fit: `maxInFlight` may run and `maxQueued` more may wait.
 * Returns the refusal in words, or null. With maxQueued 0 this is the plain in-flight cap.
 */
export function queueRefusal(unfinished: number, count: number, maxInFlight: number, maxQueued: number): string | null {
  if (unfinished + count <= maxInFlight + maxQueued) return null;
  const asked = count === 1 ? "" : ` ${count} more would not fit.`;
  if (maxQueued === 0) {
    return `${unfinished} generations are already in progress (the limit is ${maxInFlight}).${asked} Please wait for one to finish.`;
  }
  const waiting = Math.max(0, unfinished - maxInFlight);
  return `The queue is full: ${waiting} generations are waiting and ${Math.min(unfinished, maxInFlight)} running (at most ${maxQueued} may wait).${asked} Please wait for some to finish.`;
}
