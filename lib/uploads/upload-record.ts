/** A stored input portrait (upright JPEG, no metadata) that generations are made from. */
export interface UploadRecord {
  id: string;
  mediaKey: string;
  width: number;
  height: number;
  /** Null for inputs stored before uploads were a resource of their own. */
  bytes: number | null;
  createdAt: string;
  /** After this, an upload no generation uses may be swept. */
  expiresAt: string;
}

/** Storage of upload records, beside the generations that use them. */
export interface UploadRepository {
  insert(record: UploadRecord): Promise<void>;
  findById(id: string): Promise<UploadRecord | undefined>;
  /** Whether any generation is made from this upload. */
  isInUse(id: string): Promise<boolean>;
  /** Bytes held by uploads no generation uses (what an upload flood could fill the disk with). */
  unusedBytes(): Promise<number>;
  /** Uploads no generation uses whose time ran out before `now`, oldest first. */
  listExpiredUnused(now: string, limit: number): Promise<UploadRecord[]>;
  /**
   * Deletes the record if no generation uses it (and, with `expiredBefore`, only if it expired
   * before then); returns it when this call deleted it. One conditional statement, so of
   * several instances (or a racing create) exactly one outcome wins.
   */
  deleteIfUnused(id: string, options?: { expiredBefore?: string }): Promise<UploadRecord | undefined>;
}
