import "server-only";
import type { ExpressionBuilder, Kysely } from "kysely";
import type { ExpiryCutoff, UploadRecord, UploadRepository } from "@/lib/uploads/upload-record";
import type { Database, UploadRow } from "./schema";

type OnUploads = ExpressionBuilder<Database, "uploads">;

/** A generation keeps its upload unless it failed (at or before `failedBefore`, for the sweep: Retry works a full time after a failure). */
const keptByAGeneration = (eb: OnUploads, failedBefore?: string) =>
  eb.exists(
    eb
      .selectFrom("generations")
      .select("generations.id")
      .whereRef("generations.upload_id", "=", "uploads.id")
      .where((g) => {
        const notFailed = g("generations.status", "<>", "failed");
        if (failedBefore === undefined) return notFailed;
        return g.or([notFailed, g(g.fn.coalesce("generations.completed_at", "generations.updated_at"), ">", failedBefore)]);
      }),
  );

const expired = (eb: OnUploads, cutoff: ExpiryCutoff) =>
  eb.and([eb("uploads.expires_at", "<=", cutoff.now), eb.not(keptByAGeneration(eb, cutoff.failedBefore))]);

async function isExpiredIn(executor: Kysely<Database>, id: string, cutoff: ExpiryCutoff): Promise<boolean> {
  const row = await executor
    .selectFrom("uploads")
    .select("id")
    .where("id", "=", id)
    .where((eb) => expired(eb, cutoff))
    .executeTakeFirst();
  return row !== undefined;
}

/** The delete found the upload kept after all (a generation was made from it meanwhile): roll the unlinking back. */
class KeptMeanwhile extends Error {}

/** UploadRepository over Kysely: the same code serves SQLite and Postgres. */
export function createKyselyUploadRepository(db: Kysely<Database>): UploadRepository {
  /** Deletes the upload if no generation at all points at it; the foreign key refuses it if one was made meanwhile. */
  const deleteUnreferenced = (executor: Kysely<Database>, id: string) =>
    executor
      .deleteFrom("uploads")
      .where("id", "=", id)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom("generations").select("generations.id").where("generations.upload_id", "=", id))));

  return {
    async insert(record) {
      await db.insertInto("uploads").values(toRow(record)).execute();
    },

    async findById(id) {
      const row = await db.selectFrom("uploads").selectAll().where("id", "=", id).executeTakeFirst();
      return row && fromRow(row);
    },

    isExpired: (id, cutoff) => isExpiredIn(db, id, cutoff),

    async unusedBytes() {
      const row = await db
        .selectFrom("uploads")
        .where((eb) => eb.not(keptByAGeneration(eb)))
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>("bytes"), eb.lit(0)).as("total"))
        .executeTakeFirst();
      return Number(row?.total ?? 0);
    },

    async listExpired(cutoff, limit) {
      const rows = await db
        .selectFrom("uploads")
        .selectAll("uploads")
        .where((eb) => expired(eb, cutoff))
        .orderBy("expires_at")
        .limit(limit)
        .execute();
      return rows.map(fromRow);
    },

    async deleteIfUnused(id) {
      try {
        const row = await deleteUnreferenced(db, id).returningAll().executeTakeFirst();
        return row && fromRow(row);
      } catch (error) {
        // A generation made from it committed while we looked: the foreign key keeps the upload.
        if (isForeignKeyViolation(error)) return undefined;
        throw error;
      }
    },

    /*
     * All or nothing, in one transaction: check the time, unlink the failed generations (the
     * foreign key would refuse the delete), delete only if no generation at all points at it
     * now. A Retry that commits first is seen by that delete, one still committing holds the
     * row and the foreign key refuses the delete once it lands; either way the delete takes
     * nothing and the unlinking is rolled back. So the upload stays, still linked, or goes
     * with its failed generations unlinked, never half. Failed is final, so a generation
     * found failed long enough ago stays so.
     */
    async deleteIfExpired(id, cutoff) {
      try {
        return await db.transaction().execute(async (trx) => {
          if (!(await isExpiredIn(trx, id, cutoff))) return undefined;
          await trx.updateTable("generations").set({ upload_id: null }).where("upload_id", "=", id).where("status", "=", "failed").execute();
          const row = await deleteUnreferenced(trx, id).where("expires_at", "<=", cutoff.now).returningAll().executeTakeFirst();
          if (!row) throw new KeptMeanwhile();
          return fromRow(row);
        });
      } catch (error) {
        if (error instanceof KeptMeanwhile || isForeignKeyViolation(error)) return undefined;
        throw error;
      }
    },
  };
}

/** Postgres reports SQLSTATE 23503, better-sqlite3 its extended result code. */
function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "23503" || code === "SQLITE_CONSTRAINT_FOREIGNKEY";
}

function toRow(record: UploadRecord): UploadRow {
  return {
    id: record.id,
    media_key: record.mediaKey,
    width: record.width,
    height: record.height,
    bytes: record.bytes,
    created_at: record.createdAt,
    expires_at: record.expiresAt,
  };
}

function fromRow(row: UploadRow): UploadRecord {
  return {
    id: row.id,
    mediaKey: row.media_key,
    width: Number(row.width),
    height: Number(row.height),
    bytes: row.bytes === null ? null : Number(row.bytes),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
