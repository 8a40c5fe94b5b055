import "server-only";
import type { Kysely } from "kysely";
import type { SessionRecord, SessionRepository } from "@/lib/sessions/session-record";
import type { Database, SessionRow } from "./schema";

const SEALING_KEY = "session-sealing-key";

/** SessionRepository over Kysely: the same code serves SQLite and Postgres. */
export function createKyselySessionRepository(db: Kysely<Database>): SessionRepository {
  return {
    async insert(record) {
      await db
        .insertInto("sessions")
        .values({
          id: record.id,
          client: record.client,
          created_at: record.createdAt,
          expires_at: record.expiresAt,
          revoked_at: record.revokedAt,
        })
        .execute();
    },

    async find(id) {
      const row = await db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirst();
      return row && fromRow(row);
    },

    async revoke(id, at) {
      await db.updateTable("sessions").set({ revoked_at: at }).where("id", "=", id).where("revoked_at", "is", null).execute();
    },

    async revokeAll(at) {
      const result = await db.updateTable("sessions").set({ revoked_at: at }).where("revoked_at", "is", null).executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async signedInFrom(client, since) {
      const row = await db.selectFrom("sessions").select("id").where("client", "=", client).where("created_at", ">=", since).limit(1).executeTakeFirst();
      return row !== undefined;
    },

    async deleteExpired(before) {
      const result = await db.deleteFrom("sessions").where("expires_at", "<", before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async sealingKey(candidate) {
      await db
        .insertInto("app_secrets")
        .values({ name: SEALING_KEY, value: candidate })
        .onConflict((conflict) => conflict.column("name").doNothing())
        .execute();
      const row = await db.selectFrom("app_secrets").select("value").where("name", "=", SEALING_KEY).executeTakeFirstOrThrow();
      return row.value;
    },
  };
}

function fromRow(row: SessionRow): SessionRecord {
  return { id: row.id, client: row.client, createdAt: row.created_at, expiresAt: row.expires_at, revokedAt: row.revoked_at };
}
