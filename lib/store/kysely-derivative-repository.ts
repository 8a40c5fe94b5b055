import "server-only";
import type { Kysely, Updateable } from "kysely";
import type { DerivativeRecord, DerivativeRef, DerivativeRepository } from "@/lib/media/derivatives/derivative-record";
import type { Database, DerivativeRow, MediaDerivativesTable } from "./schema";

type DerivativeRowUpdate = Updateable<MediaDerivativesTable>;

/** DerivativeRepository over Kysely: the same statements on SQLite and Postgres. */
export function createKyselyDerivativeRepository(db: Kysely<Database>): DerivativeRepository {
  const byRef = (ref: DerivativeRef) =>
    db
      .selectFrom("media_derivatives")
      .selectAll()
      .where("generation_id", "=", ref.generationId)
      .where("kind", "=", ref.kind)
      .where("ping_pong", "=", ref.pingPong ? 1 : 0);

  /** Writes to a job this worker runs: refused once the job is no longer running or no longer its own. */
  const updateOwnRunning = (ref: DerivativeRef, owner: string, fields: DerivativeRowUpdate) =>
    db
      .updateTable("media_derivatives")
      .set(fields)
      .where("generation_id", "=", ref.generationId)
      .where("kind", "=", ref.kind)
      .where("ping_pong", "=", ref.pingPong ? 1 : 0)
      .where("state", "=", "running")
      .where("claimed_by", "=", owner);

  const find = async (ref: DerivativeRef) => {
    const row = await byRef(ref).executeTakeFirst();
    return row && fromRow(row);
  };

  return {
    find,

    async request(ref, priority, now) {
      await db
        .insertInto("media_derivatives")
        .values({
          generation_id: ref.generationId,
          kind: ref.kind,
          ping_pong: ref.pingPong ? 1 : 0,
          state: "queued",
          priority,
          progress: null,
          media_key: null,
          bytes: null,
          width: null,
          height: null,
          error: null,
          claimed_by: null,
          lease_until: null,
          created_at: now,
          updated_at: now,
        })
        .onConflict((conflict) => conflict.columns(["generation_id", "kind", "ping_pong"]).doNothing())
        .execute();
      // Asking again after a failure is a retry; anything else stays as it is.
      await db
        .updateTable("media_derivatives")
        .set({ state: "queued", error: null, progress: null, runs: 0, updated_at: now })
        .where("generation_id", "=", ref.generationId)
        .where("kind", "=", ref.kind)
        .where("ping_pong", "=", ref.pingPong ? 1 : 0)
        .where("state", "=", "failed")
        .execute();
      const record = await find(ref);
      if (!record) throw new Error("derivative job vanished right after it was requested");
      return record;
    },

    async listFor(generationId) {
      const rows = await db.selectFrom("media_derivatives").selectAll().where("generation_id", "=", generationId).execute();
      return rows.map(fromRow);
    },

    async listForMany(generationIds) {
      const found = new Map<string, DerivativeRecord[]>();
      if (generationIds.length === 0) return found;
      const rows = await db
        .selectFrom("media_derivatives")
        .selectAll()
        .where("generation_id", "in", [...generationIds])
        .execute();
      for (const job of rows.map(fromRow)) found.set(job.generationId, [...(found.get(job.generationId) ?? []), job]);
      return found;
    },

    async claimNext(owner, now, leaseUntil) {
      // A few candidates in order; the conditional update decides who gets each.
      const candidates = await db
        .selectFrom("media_derivatives")
        .select(["generation_id", "kind", "ping_pong"])
        .where((eb) => eb.or([eb("state", "=", "queued"), eb.and([eb("state", "=", "running"), eb("lease_until", "<", now)])]))
        .orderBy("priority")
        .orderBy("created_at")
        .limit(5)
        .execute();
      for (const candidate of candidates) {
        const result = await db
          .updateTable("media_derivatives")
          .set((eb) => ({ state: "running", claimed_by: owner, lease_until: leaseUntil, progress: 0, updated_at: now, runs: eb("runs", "+", 1) }))
          .where("generation_id", "=", candidate.generation_id)
          .where("kind", "=", candidate.kind)
          .where("ping_pong", "=", candidate.ping_pong)
          .where((eb) => eb.or([eb("state", "=", "queued"), eb.and([eb("state", "=", "running"), eb("lease_until", "<", now)])]))
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 1) {
          return find({ generationId: candidate.generation_id, kind: candidate.kind, pingPong: candidate.ping_pong === 1 });
        }
      }
      return undefined;
    },

    async renew(owner, leaseUntil) {
      await db.updateTable("media_derivatives").set({ lease_until: leaseUntil }).where("state", "=", "running").where("claimed_by", "=", owner).execute();
    },

    async releaseAll(owner) {
      const result = await db
        .updateTable("media_derivatives")
        .set({ state: "queued", claimed_by: null, lease_until: null })
        .where("state", "=", "running")
        .where("claimed_by", "=", owner)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async progress(ref, owner, progress, now) {
      await updateOwnRunning(ref, owner, { progress, updated_at: now }).execute();
    },

    async finish(ref, owner, outcome, now) {
      const fields =
        outcome.state === "ready"
          ? {
              state: "ready" as const,
              media_key: outcome.mediaKey,
              bytes: outcome.bytes,
              width: outcome.width,
              height: outcome.height,
              progress: 1,
              error: null,
            }
          : { state: outcome.state, error: outcome.error, progress: null };
      const result = await updateOwnRunning(ref, owner, { ...fields, claimed_by: null, lease_until: null, updated_at: now }).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async listMissing(limit) {
      const rows = await db
        .selectFrom("generations")
        .select("id")
        .where("status", "=", "succeeded")
        .where("result_key", "is not", null)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom("media_derivatives")
                .select("media_derivatives.generation_id")
                .whereRef("media_derivatives.generation_id", "=", "generations.id")
                .where("media_derivatives.kind", "=", "frame"),
            ),
          ),
        )
        .orderBy("created_at", "desc")
        .limit(limit)
        .execute();
      return rows.map((row) => row.id);
    },

    async listOrphans(limit) {
      const rows = await db
        .selectFrom("media_derivatives")
        .selectAll("media_derivatives")
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom("generations").select("generations.id").whereRef("generations.id", "=", "media_derivatives.generation_id"))),
        )
        .where("state", "!=", "running")
        .limit(limit)
        .execute();
      return rows.map(fromRow);
    },

    async remove(ref) {
      await db
        .deleteFrom("media_derivatives")
        .where("generation_id", "=", ref.generationId)
        .where("kind", "=", ref.kind)
        .where("ping_pong", "=", ref.pingPong ? 1 : 0)
        .execute();
      if (ref.kind === "frame") await db.deleteFrom("media_settings").where("generation_id", "=", ref.generationId).execute();
    },

    async shareLoops(generationId) {
      const row = await db.selectFrom("media_settings").select("share_loops").where("generation_id", "=", generationId).executeTakeFirst();
      return row ? row.share_loops === 1 : true;
    },

    async forgetSettings(generationId) {
      await db.deleteFrom("media_settings").where("generation_id", "=", generationId).execute();
    },

    async setShareLoops(generationId, allowed) {
      await db
        .insertInto("media_settings")
        .values({ generation_id: generationId, share_loops: allowed ? 1 : 0 })
        .onConflict((conflict) => conflict.column("generation_id").doUpdateSet({ share_loops: allowed ? 1 : 0 }))
        .execute();
    },
  };
}

function fromRow(row: DerivativeRow): DerivativeRecord {
  return {
    generationId: row.generation_id,
    kind: row.kind,
    pingPong: row.ping_pong === 1,
    state: row.state,
    priority: row.priority,
    progress: row.progress === null ? null : Number(row.progress),
    mediaKey: row.media_key,
    bytes: row.bytes === null ? null : Number(row.bytes),
    width: row.width,
    height: row.height,
    runs: Number(row.runs),
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
