import { headers } from "next/headers";
import { appMode } from "@/lib/server/app-mode";
import { openToTheNetwork } from "@/lib/security/exposure";
import { DismissExposureNotice } from "./dismiss-exposure-notice";
import { EXPOSURE_DISMISSED_ATTRIBUTE, EXPOSURE_DISMISSED_KEY } from "./exposure-dismissal";

/**
 * Runs while the page is parsed, before the notice below it is painted: a notice the owner
 * dismissed in this tab neither flashes nor moves the page when it loads again.
 */
const HIDE_IF_DISMISSED = `try{if(sessionStorage.getItem(${JSON.stringify(EXPOSURE_DISMISSED_KEY)}))document.documentElement.setAttribute(${JSON.stringify(EXPOSURE_DISMISSED_ATTRIBUTE)},"")}catch(e){}`;

/**
 * One calm line on the studio when a live server without APP_PASSWORD listens beyond this
 * machine; the owner may dismiss it for the tab's session. The full advice is in docs/security.md.
 */
export async function ExposureNotice() {
  if (appMode() === "demo" || !openToTheNetwork()) return null;
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <>
      <script nonce={nonce} dangerouslySetInnerHTML={{ __html: HIDE_IF_DISMISSED }} />
      <div
        className="exposure-notice flex items-center gap-3 rounded-xl border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100"
        data-testid="exposure-notice"
      >
        <p className="min-w-0 flex-1">
          <strong className="font-semibold">No password set:</strong> anyone who can reach this server can spend your API key. Set{" "}
          <code className="font-mono text-[0.95em]">APP_PASSWORD</code> (see docs/security.md).
        </p>
        <DismissExposureNotice />
      </div>
    </>
  );
}
