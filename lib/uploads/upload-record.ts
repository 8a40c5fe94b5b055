/** A stored input portrait (upright JPEG, no metadata) that generations are made from. */
export interface UploadRecord {
  id: string;
  mediaKey: string;
  width: number;
  height: number;
  /** Null for inputs stored before uploads were a resource of their own. */
  bytes: number | null;
  createdAt: string;
  /** After this, an unused upload may be swept (a failed generation keeps it a full time after it failed). */
  expiresAt: string;
}

/**
 * When an upload's time has run out: it expired at or before `now`, and no generation using
 * it failed after `failedBefore` (so Retry keeps working a full time after a failure).
 */
export interface ExpiryCutoff {
  now: string;
  failedBefore: string;
}

/**
 * Storage of upload records, beside the generations that use them. An upload is *unused*
 * when no generation uses it or every one that does has failed: such uploads are counted
 * in the room for unused uploads and swept once their time has run out.
 */
export interface UploadRepository {
  insert(record: UploadRecord): Promise<void>;
  findById(id: string): Promise<UploadRecord | undefined>;
  /** Whether the upload is unused and its time has run out (what the sweep deletes). */
  isExpired(id: string, cutoff: ExpiryCutoff): Promise<boolean>;
  /** Bytes held by unused uploads (what an upload flood, or a flood of failing creates, could fill the disk with). */
  unusedBytes(): Promise<number>;
  /** Unused uploads whose time has run out, oldest first. */
  listExpired(cutoff: ExpiryCutoff, limit: number): Promise<UploadRecord[]>;
  /**
   * Deletes the record if no generation at all uses it (after a generation is deleted);
   * returns it when this call deleted it. One conditional statement, so of several
   * instances (or a racing create) exactly one outcome wins.
   */
  deleteIfUnused(id: string): Promise<UploadRecord | undefined>;
  /**
   * The sweep's delete: if the upload is unused and its time has run out, unlinks the
   * failed generations that used it and deletes it, all or nothing; returns it when this
   * call deleted it.
   */
  deleteIfExpired(id: string, cutoff: ExpiryCutoff): Promise<UploadRecord | undefined>;
}
