/** Starts the tracker with the server, so unfinished generations resume after a restart. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { services } = await import("./lib/server/services");
  await services();
}
