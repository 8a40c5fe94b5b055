/**
 * The cropped portrait a generation started from, or a quiet placeholder once it is gone
 * (the portrait of a generation that failed is removed a while after the failure).
 */
export function PortraitStill({ src, alt, className = "", loading }: { src: string | null; alt: string; className?: string; loading?: "lazy" }) {
  if (src === null) {
    return (
      <div
        role="img"
        aria-label={`${alt} (portrait removed)`}
        className={`${className} flex items-center justify-center bg-neutral-100 p-2 text-center text-xs text-neutral-700 dark:bg-neutral-800 dark:text-neutral-200`}
      >
        Portrait removed
      </div>
    );
  }
  // eslint-disable-next-line @next/next/no-img-element -- our own stored portrait, already sized
  return <img src={src} alt={alt} loading={loading} className={className} />;
}
