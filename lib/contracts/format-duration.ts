const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? "" : "s"}`;

/** A time limit in words ("45 seconds", "1 minute 30 seconds", "2 hours"), right for any length. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.max(1, Math.round(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  // Seconds stop mattering once a limit is measured in hours.
  const parts =
    hours > 0
      ? [plural(hours, "hour"), minutes > 0 ? plural(minutes, "minute") : ""]
      : [minutes > 0 ? plural(minutes, "minute") : "", seconds > 0 ? plural(seconds, "second") : ""];
  return parts.filter(Boolean).join(" ");
}
