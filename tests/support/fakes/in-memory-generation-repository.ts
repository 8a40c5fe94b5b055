import { UNFINISHED_STATUSES } from "@/lib/contracts/generation";
import type { GenerationRecord } from "@/lib/generations/generation-record";
import { InvalidCursorError, type GenerationPage, type GenerationRepository, type ListQuery, type SpendEntry } from "@/lib/generations/generation-repository";
import { decodeCursor, encodeCursor } from "@/lib/store/cursor";
import { fieldsWritten, preconditionHolds, preconditionOf, reportedCost } from "@/lib/generations/transition-rules";

interface LedgerEntry extends SpendEntry {
  generationId: string;
}

/**
 * The generation store in memory, keeping the promises of the real stores
 * (lib/store/kysely-generation-repository.ts): one record per idempotency key, a spending
 * ledger entry per generation that outlives it, newest-first keyset paging, claims and the
 * one pending → submitting gate. Records are copied in and out, as rows would be.
 */
export function createInMemoryGenerationRepository(options: { now?: () => Date } = {}) {
  const now = options.now ?? (() => new Date());
  const records = new Map<string, GenerationRecord & { claimedBy: string | null; claimExpiresAt: string | null }>();
  const ledger: LedgerEntry[] = [];
  /** Take sets by idempotency key: their ids and generations' ids. */
  const sets = new Map<string, { setId: string; ids: string[] }>();
  const out = (stored: GenerationRecord & { claimedBy?: unknown; claimExpiresAt?: unknown }): GenerationRecord => {
    const { claimedBy: _claimedBy, claimExpiresAt: _claimExpiresAt, ...record } = stored;
    return { ...record };
  };
  const unfinished = (record: GenerationRecord) => UNFINISHED_STATUSES.includes(record.status);
  const findBy = (match: (record: GenerationRecord) => boolean) => {
    const found = [...records.values()].find(match);
    return Promise.resolve(found && out(found));
  };
  const newestFirst = (a: GenerationRecord, b: GenerationRecord) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1);

  const repository: GenerationRepository = {
    async insert(record) {
      if (records.has(record.id)) throw new Error(`duplicate generation id ${record.id}`);
      const existing = record.idempotencyKey ? await repository.findByIdempotencyKey(record.idempotencyKey) : undefined;
      if (existing) return { record: existing, created: false };
      records.set(record.id, { ...record, claimedBy: null, claimExpiresAt: null });
      // A live generation is about to be sent: it may cost money from now on.
      ledger.push({
        generationId: record.id,
        createdAt: record.createdAt,
        costUsd: record.costUsd,
        awaitingCost: record.mode === "live" && record.costUsd === null,
      });
      return { record: { ...record }, created: true };
    },
    async insertSet(set, members) {
      const existing = set.idempotencyKey ? sets.get(set.idempotencyKey) : undefined;
      if (existing) return { setId: existing.setId, records: existing.ids.flatMap((id) => (records.has(id) ? [out(records.get(id)!)] : [])), created: false };
      for (const record of members) await repository.insert(record);
      if (set.idempotencyKey) sets.set(set.idempotencyKey, { setId: set.id, ids: members.map((record) => record.id) });
      return { setId: set.id, records: members.map((record) => ({ ...record })), created: true };
    },
    findById: (id) => findBy((record) => record.id === id),
    findByIdempotencyKey: (key) => findBy((record) => record.idempotencyKey === key),
    findByShareToken: (token) => findBy((record) => record.shareToken === token),
    findByCallbackSecret: (secret) => findBy((record) => record.callbackSecret === secret),

    async update(id, transition) {
      const stored = records.get(id);
      if (!stored || !preconditionHolds(stored, preconditionOf(transition))) return undefined;
      Object.assign(stored, fieldsWritten(transition), { updatedAt: now().toISOString() });
      const entry = ledger.find((candidate) => candidate.generationId === id);
      const cost = reportedCost(transition);
      if (entry && cost !== undefined) Object.assign(entry, { costUsd: cost, awaitingCost: false });
      else if (entry && stored.status === "failed" && stored.submitState === "pending") entry.awaitingCost = false;
      return out(stored);
    },

    async list({ cursor, limit, status }: ListQuery): Promise<GenerationPage> {
      const after = cursor ? decodeCursor(cursor) : null;
      if (cursor && !after) throw new InvalidCursorError();
      const rows = [...records.values()]
        .filter((record) => !status || record.status === status)
        .filter((record) => !after || record.createdAt < after.createdAt || (record.createdAt === after.createdAt && record.id < after.id))
        .sort(newestFirst);
      const items = rows.slice(0, limit).map(out);
      const lastItem = items.at(-1);
      return { items, nextCursor: rows.length > limit && lastItem ? encodeCursor(lastItem) : null };
    },

    async listUnfinished() {
      return [...records.values()]
        .filter(unfinished)
        .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
        .map(out);
    },

    async claim(id, { owner, until, now: at }) {
      const stored = records.get(id);
      if (!stored || !unfinished(stored)) return undefined;
      if (stored.claimedBy !== null && stored.claimedBy !== owner && (stored.claimExpiresAt ?? "") >= at) return undefined;
      Object.assign(stored, { claimedBy: owner, claimExpiresAt: until });
      return out(stored);
    },

    async renewClaims(owner, until) {
      const renewed = [...records.values()].filter((record) => record.claimedBy === owner && unfinished(record));
      for (const record of renewed) record.claimExpiresAt = until;
      return renewed.map((record) => record.id);
    },

    async beginSubmit(id, owner, gate = {}) {
      const stored = records.get(id);
      if (!stored || stored.submitState !== "pending" || stored.claimedBy !== owner || !unfinished(stored)) return undefined;
      if (gate.mayCharge && !gate.mayCharge(await repository.listSpend())) return undefined;
      const at = now().toISOString();
      Object.assign(stored, { submitState: "submitting", updatedAt: at });
      const entry = ledger.find((candidate) => candidate.generationId === id);
      if (entry) entry.sentAt = at;
      return out(stored);
    },

    async listSpend() {
      return ledger.map(({ createdAt, costUsd, awaitingCost, sentAt }) => ({ createdAt, costUsd, awaitingCost, sentAt: sentAt ?? null }));
    },

    async delete(id) {
      const stored = records.get(id);
      if (!stored) return false;
      records.delete(id);
      // Deleted before its create was sent: it will never cost anything. Once sent, it may.
      const entry = ledger.find((candidate) => candidate.generationId === id);
      if (entry && stored.submitState === "pending") entry.awaitingCost = false;
      return true;
    },

    ping: async () => true,
    close: async () => undefined,
  };
  return repository;
}
