/** Starts the tracker with the server, so unfinished generations resume after a restart. */
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
