import type { Kysely } from "kysely";
import type { Database } from "./schema";

/** A set's generations that still exist, in the order they were asked for (select what you need). */
export const takeSetMembers = (db: Kysely<Database>, setId: string) =>
  db
    .selectFrom("take_set_members")
    .innerJoin("generations", "generations.id", "take_set_members.generation_id")
    .where("take_set_members.set_id", "=", setId)
    .orderBy("take_set_members.position");
