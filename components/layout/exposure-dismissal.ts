/** Where a dismissed password notice is remembered: this tab's session only. */
export const EXPOSURE_DISMISSED_KEY = "exposure-notice-dismissed";
/** Set on <html> once dismissed; app/globals.css hides the notice under it. */
export const EXPOSURE_DISMISSED_ATTRIBUTE = "data-exposure-dismissed";
