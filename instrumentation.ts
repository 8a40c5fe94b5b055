import type { Instrumentation } from "next";

/**
 * Starts the tracker with the server, so unfinished generations resume after a restart.
 * (Methods an address does not take are refused before Next, by scripts/server.mjs.)
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ services }, { log }, { EXPOSURE_WARNING, openToTheNetwork }, { appMode }] = await Promise.all([
    import("./lib/server/services"),
    import("./lib/log"),
    import("./lib/security/exposure"),
    import("./lib/server/app-mode"),
  ]);
  if (appMode() === "live" && openToTheNetwork()) log().warn(EXPOSURE_WARNING);
  await services();
}

/**
 * Every error Next catches while rendering a page or running a route becomes one
 * error-level log line, so a failed render is as visible as a failed API call. The
 * route's pattern is logged, not the request's path or headers: paths can carry share
 * tokens and callback secrets, headers cookies.
 */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { log } = await import("./lib/log");
  log().error(
    { err: error, method: request.method, route: context.routePath, routeType: context.routeType, renderSource: context.renderSource },
    "request failed on the server",
  );
};
