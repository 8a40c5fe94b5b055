"use client";

/** One play/pause and one scrubber for every take. */
export function SyncBar({
  playing,
  time,
  duration,
  onToggle,
  onSeek,
}: {
  playing: boolean;
  time: number;
  duration: number;
  onToggle: () => void;
  onSeek: (seconds: number) => void;
}) {
  return (
    <div className="flex items-center gap-3 rounded-2xl bg-neutral-100 px-3 py-2 dark:bg-neutral-900" data-testid="sync-bar">
      <button
        type="button"
        onClick={onToggle}
        className="rounded-lg bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        data-testid="sync-play"
        aria-label={playing ? "Pause all takes" : "Play all takes"}
      >
        {playing ? "Pause all" : "Play all"}
      </button>
      <input
        type="range"
        min={0}
        max={duration || 6}
        step={0.01}
        value={Math.min(time, duration || 6)}
        onChange={(event) => onSeek(Number(event.currentTarget.value))}
        aria-label="Position in every take"
        className="min-w-0 flex-1 accent-indigo-600"
        data-testid="sync-scrub"
      />
      <span className="w-20 text-right text-xs tabular-nums text-neutral-600 dark:text-neutral-400">
        {time.toFixed(1)} / {(duration || 6).toFixed(1)} s
      </span>
    </div>
  );
}
