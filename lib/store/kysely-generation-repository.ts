import { sql, type Kysely } from "kysely";
import { UNFINISHED_STATUSES } from "@/lib/contracts/generation";
import type {
  GenerationPatch,
  GenerationRecord,
  GenerationRepository,
  ListQuery,
} from "@/lib/generations/generation-record";
import { isPostgres, lockSubmitGate, queueTurn } from "@/lib/queue/queue-sql";
import { decodeCursor, encodeCursor } from "./cursor";
import type { Database, GenerationRow, GenerationRowUpdate } from "./schema";

/** GenerationRepository over Kysely: the same code serves SQLite and Postgres. */
export function createKyselyGenerationRepository(db: Kysely<Database>): GenerationRepository {
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
        if (row) {
          await trx
            .insertInto("usage_ledger")
            .values({
              generation_id: row.id,
              created_at: row.created_at,
              cost_usd: row.cost_usd,
              // A live generation is about to be sent: it may cost money from now on.
              awaiting_cost: flag(row.mode === "live" && row.cost_usd === null),
            })
            .execute();
        }
        return row;
      });
      if (inserted) return { record: fromRow(inserted), created: true };
      const existing = record.idempotencyKey ? await repository.findByIdempotencyKey(record.idempotencyKey) : undefined;
      if (!existing) throw new Error("insert did nothing and no record holds its idempotency key");
      return { record: existing, created: false };
    },

    findById: (id) => findBy("id", id),

    findByIdempotencyKey: (key) => findBy("idempotency_key", key),

    findByShareToken: (token) => findBy("share_token", token),

    findByCallbackSecret: (secret) => findBy("callback_secret", secret),

    async update(id, patch) {
      const row = await db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable("generations")
          .set({ ...toRowPatch(patch), updated_at: new Date().toISOString() })
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirst();
        if (updated && patch.costUsd !== undefined) {
          // The provider's last word on the bill settles the entry.
          await trx.updateTable("usage_ledger").set({ cost_usd: patch.costUsd, awaiting_cost: 0 }).where("generation_id", "=", id).execute();
        } else if (updated?.status === "failed" && updated.submit_state === "pending") {
          // Failed before any create reached the provider: nothing to pay.
          await trx.updateTable("usage_ledger").set({ awaiting_cost: 0 }).where("generation_id", "=", id).execute();
        }
        return updated;
      });
      return row && fromRow(row);
    },

    async list({ cursor, limit, status }: ListQuery) {
      let query = selectAll().orderBy("created_at", "desc").orderBy("id", "desc").limit(limit + 1);
      if (status) query = query.where("status", "=", status);
      const after = cursor ? decodeCursor(cursor) : null;
      if (after) {
        query = query.where((eb) =>
          eb.or([
            eb("created_at", "<", after.createdAt),
            eb.and([eb("created_at", "=", after.createdAt), eb("id", "<", after.id)]),
          ]),
        );
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

    async beginSubmit(id, owner, slots) {
      const at = new Date().toISOString();
      // Queue (takes-and-queue): the turn and the free slot are part of the one conditional update.
      const gate = (trx: Kysely<Database>) => {
        let query = trx
          .updateTable("generations")
          .set({ submit_state: "submitting", updated_at: at, started_at: at })
          .where("id", "=", id)
          .where("submit_state", "=", "pending")
          .where("claimed_by", "=", owner)
          .where("status", "in", UNFINISHED_STATUSES);
        if (slots) query = query.where(queueTurn(slots.maxInFlight));
        return query.returningAll().executeTakeFirst();
      };
      // Postgres' read-committed statements could each count the same free slot: one advisory lock serialises the gate.
      const row = slots && isPostgres(db) ? await db.transaction().execute(async (trx) => (await lockSubmitGate(trx), gate(trx))) : await gate(db);
      return row && fromRow(row);
    },

    async listSpend() {
      const rows = await db.selectFrom("usage_ledger").select(["created_at", "cost_usd", "awaiting_cost"]).execute();
      return rows.map((row) => ({ createdAt: row.created_at, costUsd: row.cost_usd, awaitingCost: Boolean(row.awaiting_cost) }));
    },

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

/** Also used by the take store, which inserts a set's generations in one transaction. */
export function toRow(record: GenerationRecord): GenerationRow {
  return {
    claimed_by: null,
    claim_expires_at: null,
    reported_task_id: record.reportedTaskId,
    id: record.id,
    share_token: record.shareToken,
    hide_prompt: flag(record.hidePrompt),
    status: record.status,
    mode: record.mode,
    prompt: record.prompt,
    prompt_optimizer: flag(record.promptOptimizer),
    watermark: flag(record.watermark),
    input_key: record.inputKey,
    input_width: record.inputWidth,
    input_height: record.inputHeight,
    submit_state: record.submitState,
    upstream_task_id: record.upstreamTaskId,
    progress: record.progress,
    cost_usd: record.costUsd,
    error_code: record.errorCode,
    error_message: record.errorMessage,
    result_url: record.resultUrl,
    result_key: record.resultKey,
    result_bytes: record.resultBytes,
    callback_secret: record.callbackSecret,
    idempotency_key: record.idempotencyKey,
    upload_id: record.uploadId,
    started_at: record.startedAt ?? null,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    completed_at: record.completedAt,
  };
}

const COLUMN_OF: { [K in keyof GenerationPatch]-?: keyof GenerationRowUpdate } = {
  shareToken: "share_token",
  hidePrompt: "hide_prompt",
  status: "status",
  mode: "mode",
  prompt: "prompt",
  promptOptimizer: "prompt_optimizer",
  watermark: "watermark",
  inputKey: "input_key",
  inputWidth: "input_width",
  inputHeight: "input_height",
  submitState: "submit_state",
  upstreamTaskId: "upstream_task_id",
  reportedTaskId: "reported_task_id",
  progress: "progress",
  costUsd: "cost_usd",
  errorCode: "error_code",
  errorMessage: "error_message",
  resultUrl: "result_url",
  resultKey: "result_key",
  resultBytes: "result_bytes",
  idempotencyKey: "idempotency_key",
  updatedAt: "updated_at",
  completedAt: "completed_at",
  startedAt: "started_at",
};

function toRowPatch(patch: GenerationPatch): GenerationRowUpdate {
  const row: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const column = COLUMN_OF[field as keyof GenerationPatch];
    row[column] = typeof value === "boolean" ? flag(value) : value;
  }
  return row as GenerationRowUpdate;
}

function fromRow(row: GenerationRow): GenerationRecord {
  return {
    id: row.id,
    shareToken: row.share_token,
    hidePrompt: Boolean(row.hide_prompt),
    status: row.status,
    mode: row.mode,
    prompt: row.prompt,
    promptOptimizer: Boolean(row.prompt_optimizer),
    watermark: Boolean(row.watermark),
    inputKey: row.input_key,
    inputWidth: Number(row.input_width),
    inputHeight: Number(row.input_height),
    submitState: row.submit_state,
    upstreamTaskId: row.upstream_task_id,
    reportedTaskId: row.reported_task_id,
    progress: row.progress === null ? null : Number(row.progress),
    costUsd: row.cost_usd,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    resultUrl: row.result_url,
    resultKey: row.result_key,
    resultBytes: row.result_bytes === null ? null : Number(row.result_bytes),
    callbackSecret: row.callback_secret,
    idempotencyKey: row.idempotency_key,
    uploadId: row.upload_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
    startedAt: row.started_at,
  };
}
