"use client";

import { EXPOSURE_DISMISSED_ATTRIBUTE, EXPOSURE_DISMISSED_KEY } from "./exposure-dismissal";

/** Hides the password notice until this tab's session ends. */
export function DismissExposureNotice() {
  return (
    <button
      type="button"
      onClick={() => {
        try {
          sessionStorage.setItem(EXPOSURE_DISMISSED_KEY, "1");
        } catch {
          // Storage refused (private mode): it still goes away for this page.
        }
        document.documentElement.setAttribute(EXPOSURE_DISMISSED_ATTRIBUTE, "");
      }}
      className="shrink-0 rounded-lg px-2 py-1 font-medium text-amber-950 underline-offset-2 hover:bg-amber-100 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-amber-100 dark:hover:bg-amber-900"
      data-testid="exposure-notice-dismiss"
    >
      Dismiss
    </button>
  );
}
