import "server-only";
import { sql, type Kysely } from "kysely";
import { UNFINISHED_STATUSES } from "@/lib/contracts/generation";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import { InvalidCursorError, type GenerationRepository, type ListQuery, type SpendEntry } from "@/lib/generations/generation-repository";
import { fieldsWritten, preconditionOf, reportedCost } from "@/lib/generations/transition-rules";
import { isPostgres, lockSubmitGate, queueTurn } from "@/lib/queue/queue-sql";
import { decodeCursor, encodeCursor } from "./cursor";
import type { Database, GenerationRow, GenerationRowUpdate } from "./schema";
import { takeSetMembers } from "./take-set-members";

/** GenerationRepository over Kysely: the same code serves SQLite and Postgres. */
export function createKyselyGenerationRepository(db: Kysely<Database>, now: () => Date = () => new Date()): GenerationRepository {
  const selectAll = () => db.selectFrom("generations").selectAll();
  const findBy = async (column: "id" | "idempotency_key" | "share_token" | "callback_secret", value: string) => {
    const row = await selectAll().where(column, "=", value).executeTakeFirst();
    return row && fromRow(row);
  };

  const repository: GenerationRepository = {
    async insert(record) {
      const inserted = await db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto("generations")
          .values(toRow(record))
          .onConflict((conflict) => conflict.column("idempotency_key").doNothing())
          .returningAll()
          .executeTakeFirst();
        if (row) await openLedgerEntries(trx, [record]);
        return row;
      });
      if (inserted) return { record: fromRow(inserted), created: true };
      const existing = record.idempotencyKey ? await repository.findByIdempotencyKey(record.idempotencyKey) : undefined;
      if (!existing) throw new Error("insert did nothing and no record holds its idempotency key");
      return { record: existing, created: false };
    },

    async insertSet(set, records) {
      const created = await db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto("take_sets")
          .values({ id: set.id, upload_id: set.uploadId, favourite_id: null, idempotency_key: set.idempotencyKey, created_at: set.createdAt })
          .onConflict((conflict) => conflict.column("idempotency_key").doNothing())
          .returning("id")
          .executeTakeFirst();
        if (!row) return false;
        await trx.insertInto("generations").values(records.map(toRow)).execute();
        await openLedgerEntries(trx, records);
        await trx
          .insertInto("take_set_members")
          .values(records.map((record, position) => ({ generation_id: record.id, set_id: set.id, position })))
          .execute();
        return true;
      });
      if (created) return { setId: set.id, records, created };
      const existing = set.idempotencyKey
        ? await db.selectFrom("take_sets").select("id").where("idempotency_key", "=", set.idempotencyKey).executeTakeFirst()
        : undefined;
      if (!existing) throw new Error("take set insert did nothing and no set holds its idempotency key");
      const members = await takeSetMembers(db, existing.id).selectAll("generations").execute();
      return { setId: existing.id, records: members.map(fromRow), created: false };
    },

    findById: (id) => findBy("id", id),

    findByIdempotencyKey: (key) => findBy("idempotency_key", key),

    findByShareToken: (token) => findBy("share_token", token),

    findByCallbackSecret: (secret) => findBy("callback_secret", secret),

    async update(id, transition) {
      const row = await db.transaction().execute(async (trx) => {
        let query = trx
          .updateTable("generations")
          .set({ ...toColumns(fieldsWritten(transition)), updated_at: now().toISOString() })
          .where("id", "=", id);
        const precondition = preconditionOf(transition);
        if (precondition.statuses) query = query.where("status", "in", precondition.statuses);
        if (precondition.submitting) query = query.where("submit_state", "=", "submitting");
        if (precondition.noTaskId) query = query.where("upstream_task_id", "is", null);
        if (precondition.pending) query = query.where("submit_state", "=", "pending");
        const updated = await query.returningAll().executeTakeFirst();
        const cost = reportedCost(transition);
        if (updated && cost !== undefined) {
          // The provider's last word on the bill settles the entry.
          await trx.updateTable("usage_ledger").set({ cost_usd: cost, awaiting_cost: 0 }).where("generation_id", "=", id).execute();
        } else if (updated?.status === "failed" && updated.submit_state === "pending") {
          // Failed (or cancelled) before any create reached the provider: nothing to pay.
          await trx.updateTable("usage_ledger").set({ awaiting_cost: 0 }).where("generation_id", "=", id).execute();
        }
        return updated;
      });
      return row && fromRow(row);
    },

    async list({ cursor, limit, status }: ListQuery) {
      let query = selectAll()
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(limit + 1);
      if (status) query = query.where("status", "=", status);
      const after = cursor ? decodeCursor(cursor) : null;
      if (cursor && !after) throw new InvalidCursorError();
      if (after) {
        query = query.where((eb) => eb.or([eb("created_at", "<", after.createdAt), eb.and([eb("created_at", "=", after.createdAt), eb("id", "<", after.id)])]));
      }
      const rows = await query.execute();
      const items = rows.slice(0, limit).map(fromRow);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
    },

    async listUnfinished() {
      const rows = await selectAll().where("status", "in", UNFINISHED_STATUSES).orderBy("created_at").execute();
      return rows.map(fromRow);
    },

    async claim(id, { owner, until, now }) {
      const row = await db
        .updateTable("generations")
        .set({ claimed_by: owner, claim_expires_at: until })
        .where("id", "=", id)
        .where("status", "in", UNFINISHED_STATUSES)
        .where((eb) => eb.or([eb("claimed_by", "is", null), eb("claimed_by", "=", owner), eb("claim_expires_at", "<", now)]))
        .returningAll()
        .executeTakeFirst();
      return row && fromRow(row);
    },

    async renewClaims(owner, until) {
      const rows = await db
        .updateTable("generations")
        .set({ claim_expires_at: until })
        .where("claimed_by", "=", owner)
        .where("status", "in", UNFINISHED_STATUSES)
        .returning("id")
        .execute();
      return rows.map((row) => row.id);
    },

    async beginSubmit(id, owner, gate = {}) {
      const at = now().toISOString();
      // Queue (takes-and-queue): the turn and the free slot are part of the one conditional update.
      const update = (trx: Kysely<Database>) => {
        let query = trx
          .updateTable("generations")
          // The first start counts: a create refused and retried keeps its deadline.
          .set((eb) => ({ submit_state: "submitting", updated_at: at, started_at: eb.fn.coalesce("started_at", eb.val(at)) }))
          .where("id", "=", id)
          .where("submit_state", "=", "pending")
          .where("claimed_by", "=", owner)
          .where("status", "in", UNFINISHED_STATUSES);
        if (gate.maxInFlight !== undefined) query = query.where(queueTurn(gate.maxInFlight));
        return query.returningAll().executeTakeFirst();
      };
      const row = await db.transaction().execute(async (trx) => {
        // Postgres' read-committed statements could each count the same free slot or budget: one advisory lock serialises the gate.
        if ((gate.maxInFlight !== undefined || gate.mayCharge) && isPostgres(db)) await lockSubmitGate(trx);
        if (gate.mayCharge && !gate.mayCharge(await readSpend(trx))) return undefined;
        const passed = await update(trx);
        // Spend counts on the day the provider task is made (the last send, should a refused create go again).
        if (passed) await trx.updateTable("usage_ledger").set({ sent_at: at }).where("generation_id", "=", id).execute();
        return passed;
      });
      return row && fromRow(row);
    },

    listSpend: () => readSpend(db),

    async delete(id) {
      return db.transaction().execute(async (trx) => {
        const deleted = await trx.deleteFrom("generations").where("id", "=", id).returning("submit_state").executeTakeFirst();
        // Deleted before its create was sent: it will never cost anything. Once sent, it may.
        if (deleted?.submit_state === "pending") {
          await trx.updateTable("usage_ledger").set({ awaiting_cost: 0 }).where("generation_id", "=", id).execute();
        }
        return deleted !== undefined;
      });
    },

    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },

    close: () => db.destroy(),
  };
  return repository;
}

const flag = (value: boolean) => (value ? 1 : 0);

async function readSpend(db: Kysely<Database>): Promise<SpendEntry[]> {
  const rows = await db.selectFrom("usage_ledger").select(["created_at", "cost_usd", "awaiting_cost", "sent_at"]).execute();
  return rows.map((row) => ({ createdAt: row.created_at, costUsd: row.cost_usd, awaitingCost: Boolean(row.awaiting_cost), sentAt: row.sent_at }));
}

/** Each new generation's entry in the spending ledger, which outlives it. */
async function openLedgerEntries(trx: Kysely<Database>, records: readonly GenerationRecord[]): Promise<void> {
  await trx
    .insertInto("usage_ledger")
    .values(
      records.map((record) => ({
        generation_id: record.id,
        created_at: record.createdAt,
        cost_usd: record.costUsd,
        // A live generation is about to be sent: it may cost money from now on (its estimate is reserved).
        awaiting_cost: flag(record.mode === "live" && record.costUsd === null),
      })),
    )
    .execute();
}

/** How each field is stored: its column is its name in snake_case; flags are 0/1, numbers may come back as strings (Postgres). */
const FIELDS = {
  id: "text",
  shareToken: "text",
  shareExpiresAt: "text",
  hidePrompt: "flag",
  status: "text",
  mode: "text",
  prompt: "text",
  promptOptimizer: "flag",
  watermark: "flag",
  inputKey: "text",
  inputWidth: "number",
  inputHeight: "number",
  submitState: "text",
  upstreamTaskId: "text",
  reportedTaskId: "text",
  progress: "number",
  costUsd: "text",
  errorCode: "text",
  errorMessage: "text",
  resultUrl: "text",
  resultKey: "text",
  resultBytes: "number",
  callbackSecret: "text",
  idempotencyKey: "text",
  uploadId: "text",
  createdAt: "text",
  updatedAt: "text",
  completedAt: "text",
  startedAt: "text",
} as const satisfies Record<keyof GenerationRecord, "text" | "flag" | "number">;

const FIELD_LIST = Object.entries(FIELDS).map(([field, kind]) => ({
  field,
  column: field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`),
  kind,
}));

function toColumns(fields: Partial<GenerationRecord>): GenerationRowUpdate {
  const row: Record<string, unknown> = {};
  for (const { field, column, kind } of FIELD_LIST) {
    if (!(field in fields)) continue;
    const value = fields[field as keyof GenerationRecord];
    row[column] = kind === "flag" ? flag(Boolean(value)) : value;
  }
  return row as GenerationRowUpdate;
}

function toRow(record: GenerationRecord): GenerationRow {
  const row: Record<string, unknown> = { claimed_by: null, claim_expires_at: null };
  for (const { field, column, kind } of FIELD_LIST) {
    const value = record[field as keyof GenerationRecord];
    row[column] = kind === "flag" ? flag(Boolean(value)) : value;
  }
  return row as unknown as GenerationRow;
}

function fromRow(row: GenerationRow): GenerationRecord {
  const columns = row as unknown as Record<string, unknown>;
  const record: Record<string, unknown> = {};
  for (const { field, column, kind } of FIELD_LIST) {
    const value = columns[column];
    record[field] = kind === "flag" ? Boolean(value) : kind === "number" && value !== null ? Number(value) : value;
  }
  return record as unknown as GenerationRecord;
}
