"use client";

import { useEffect, useState } from "react";

/** Asks for notifications only when clicked (browsers ignore requests without a user gesture). */
export function NotifyButton({ className }: { className?: string }) {
  const [permission, setPermission] = useState<NotificationPermission | "unsupported" | null>(null);
  useEffect(() => setPermission(typeof Notification === "undefined" ? "unsupported" : Notification.permission), []);
  if (permission === null || permission === "unsupported" || permission === "denied") return null;
  if (permission === "granted") {
    return (
      <span className="text-sm text-neutral-600 dark:text-neutral-400" data-testid="notify-on">
        You will be notified when they finish.
      </span>
    );
  }
  return (
    <button
      type="button"
      className={className}
      data-testid="notify-me"
      onClick={() => void Notification.requestPermission().then(setPermission)}
    >
      Notify me
    </button>
  );
}
