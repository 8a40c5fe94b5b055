import type { Health } from "@/lib/contracts/generation";
import { env } from "@/lib/env";
import { services } from "@/lib/server/services";

export async function GET() {
  let storeOk = false;
  let storeKind: Health["store"]["kind"] = env().DATABASE_URL ? "postgres" : "sqlite";
  let mode: Health["mode"] = env().VTRIX_API_KEY ? "live" : "demo";
  try {
    const app = await services();
    mode = app.mode;
    storeKind = app.storeKind;
    storeOk = await app.repository.ping();
  } catch {
    storeOk = false;
  }
  const body: Health = {
    ok: storeOk,
    mode,
    store: { ok: storeOk, kind: storeKind },
    upstream: { configured: mode === "live", baseUrl: env().VTRIX_BASE_URL },
  };
  return Response.json(body, { status: storeOk ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
