"use client";

import { useState, useSyncExternalStore } from "react";

const noSubscription = () => () => {};
const browserPermission = () => (typeof Notification === "undefined" ? "unsupported" : Notification.permission);
// The server cannot know: nothing is shown until the browser says.
const serverPermission = () => null;

/** Asks for notifications only when clicked (browsers ignore requests without a user gesture). */
export function NotifyButton({ className }: { className?: string }) {
  const known = useSyncExternalStore(noSubscription, browserPermission, serverPermission);
  const [answered, setPermission] = useState<NotificationPermission | null>(null);
  const permission = answered ?? known;
  if (permission === null || permission === "unsupported" || permission === "denied") return null;
  if (permission === "granted") {
    return (
      <span className="text-sm text-neutral-600 dark:text-neutral-400" data-testid="notify-on">
        You will be notified when they finish.
      </span>
    );
  }
  return (
    <button type="button" className={className} data-testid="notify-me" onClick={() => void Notification.requestPermission().then(setPermission)}>
      Notify me
    </button>
  );
}
