import Link from "next/link";
import { env } from "@/lib/env";
import { appMode } from "@/lib/server/app-mode";
import { AccountMenu } from "./account-menu";

/**
 * Brand, navigation and demo mode, in one row on a 390 px phone when signed in (signing out
 * sits in the account menu). An open server is said on the studio (exposure-notice.tsx).
 */
export function SiteHeader() {
  const demo = appMode() === "demo";
  return (
    <header className="border-b border-neutral-200 bg-white/80 backdrop-blur dark:border-neutral-800 dark:bg-neutral-900/80">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
        <Link
          href="/"
          className="flex items-center gap-2 font-semibold text-neutral-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:text-neutral-50"
        >
          <span aria-hidden className="inline-block h-6 w-6 rounded-full bg-gradient-to-br from-indigo-500 to-pink-500" />
          Portrait Live
        </Link>
        {demo ? (
          <span
            className="order-last w-full rounded-full bg-amber-100 px-2.5 py-0.5 text-center text-xs font-semibold text-amber-900 sm:order-none sm:w-auto sm:text-left dark:bg-amber-900/50 dark:text-amber-100"
            data-testid="demo-badge"
            title="No VTRIX_API_KEY is configured on this server"
          >
            Demo mode · videos are simulated, no API key configured
          </span>
        ) : null}
        <nav aria-label="Main" className="ml-auto flex items-center justify-end gap-1 text-sm">
          <Link
            href="/"
            className="rounded-lg px-2 py-1.5 font-medium text-neutral-700 hover:bg-neutral-100 sm:px-3 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-neutral-200 dark:hover:bg-neutral-800"
          >
            Studio
          </Link>
          <Link
            href="/history"
            className="rounded-lg px-2 py-1.5 font-medium text-neutral-700 hover:bg-neutral-100 sm:px-3 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-neutral-200 dark:hover:bg-neutral-800"
          >
            History
          </Link>
          {env().APP_PASSWORD ? <AccountMenu /> : null}
        </nav>
      </div>
    </header>
  );
}
