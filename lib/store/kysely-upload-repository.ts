import "server-only";
import type { Kysely } from "kysely";
import type { UploadRecord, UploadRepository } from "@/lib/uploads/upload-record";
import type { Database, UploadRow } from "./schema";

/** UploadRepository over Kysely: the same code serves SQLite and Postgres. */
export function createKyselyUploadRepository(db: Kysely<Database>): UploadRepository {
  const unused = () =>
    db
      .selectFrom("uploads")
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom("generations").select("generations.id").whereRef("generations.upload_id", "=", "uploads.id"))),
      );

  return {
    async insert(record) {
      await db.insertInto("uploads").values(toRow(record)).execute();
    },

    async findById(id) {
      const row = await db.selectFrom("uploads").selectAll().where("id", "=", id).executeTakeFirst();
      return row && fromRow(row);
    },

    async isInUse(id) {
      const row = await db.selectFrom("generations").select("id").where("upload_id", "=", id).limit(1).executeTakeFirst();
      return row !== undefined;
    },

    async unusedBytes() {
      const row = await unused()
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>("bytes"), eb.lit(0)).as("total"))
        .executeTakeFirst();
      return Number(row?.total ?? 0);
    },

    async listExpiredUnused(now, limit) {
      const rows = await unused().selectAll("uploads").where("expires_at", "<", now).orderBy("expires_at").limit(limit).execute();
      return rows.map(fromRow);
    },

    async deleteIfUnused(id, options = {}) {
      try {
        let query = db
          .deleteFrom("uploads")
          .where("id", "=", id)
          .where(({ not, exists, selectFrom }) => not(exists(selectFrom("generations").select("generations.id").where("generations.upload_id", "=", id))));
        if (options.expiredBefore) query = query.where("expires_at", "<", options.expiredBefore);
        const row = await query.returningAll().executeTakeFirst();
        return row && fromRow(row);
      } catch (error) {
        // A generation made from it committed while we looked: the foreign key keeps the upload.
        if (isForeignKeyViolation(error)) return undefined;
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
