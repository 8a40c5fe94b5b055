import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/store/schema";
import { takeSetMembers } from "@/lib/store/take-set-members";

export interface TakeSetRecord {
  id: string;
  uploadId: string | null;
  favouriteId: string | null;
  idempotencyKey: string | null;
  createdAt: string;
  /** Its generations' ids in the order they were asked for (deleted takes left out). */
  generationIds: string[];
}

/** Take sets over Kysely (SQLite and Postgres alike); a set and its generations are inserted by the generation repository (insertSet). */
export function createKyselyTakeStore(db: Kysely<Database>) {
  async function find(column: "id" | "idempotency_key", value: string): Promise<TakeSetRecord | undefined> {
    const set = await db.selectFrom("take_sets").selectAll().where(column, "=", value).executeTakeFirst();
    if (!set) return undefined;
    const members = await takeSetMembers(db, set.id).select("take_set_members.generation_id").execute();
    return {
      id: set.id,
      uploadId: set.upload_id,
      favouriteId: set.favourite_id,
      idempotencyKey: set.idempotency_key,
      createdAt: set.created_at,
      generationIds: members.map((member) => member.generation_id),
    };
  }

  return {
    findById: (id: string) => find("id", id),
    findByIdempotencyKey: (key: string) => find("idempotency_key", key),

    async setFavourite(id: string, favouriteId: string | null): Promise<void> {
      await db.updateTable("take_sets").set({ favourite_id: favouriteId }).where("id", "=", id).execute();
    },

    /** Which set each of these generations belongs to (those in none are left out). */
    async setsOf(generationIds: readonly string[]): Promise<Map<string, { setId: string; favouriteId: string | null }>> {
      if (generationIds.length === 0) return new Map();
      const rows = await db
        .selectFrom("take_set_members")
        .innerJoin("take_sets", "take_sets.id", "take_set_members.set_id")
        .select(["take_set_members.generation_id", "take_set_members.set_id", "take_sets.favourite_id"])
        .where("take_set_members.generation_id", "in", [...generationIds])
        .execute();
      return new Map(rows.map((row) => [row.generation_id, { setId: row.set_id, favouriteId: row.favourite_id }]));
    },

    /** Forgets the set itself (its generations are deleted one by one before). */
    async delete(id: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom("take_set_members").where("set_id", "=", id).execute();
        await trx.deleteFrom("take_sets").where("id", "=", id).execute();
      });
    },

    /** A deleted take leaves its set (the others and the shared upload stay); the set goes with its last take. */
    async forgetMember(generationId: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const member = await trx.deleteFrom("take_set_members").where("generation_id", "=", generationId).returning("set_id").executeTakeFirst();
        await trx.updateTable("take_sets").set({ favourite_id: null }).where("favourite_id", "=", generationId).execute();
        if (!member) return;
        // Writing the set's row holds it until commit: of two last takes leaving at once, the later sees the set empty.
        await trx
          .updateTable("take_sets")
          .set((eb) => ({ id: eb.ref("id") }))
          .where("id", "=", member.set_id)
          .execute();
        await trx
          .deleteFrom("take_sets")
          .where("id", "=", member.set_id)
          .where(({ not, exists, selectFrom }) => not(exists(selectFrom("take_set_members").select("generation_id").where("set_id", "=", member.set_id))))
          .execute();
      });
    },
  };
}

export type TakeStore = ReturnType<typeof createKyselyTakeStore>;
