/** A sign-in kept on the server. Times are ISO-8601 UTC strings, as everywhere in the store. */
export interface SessionRecord {
  id: string;
  /** The client key (address) it was opened from. */
  client: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface SessionRepository {
  insert(record: SessionRecord): Promise<void>;
  find(id: string): Promise<SessionRecord | undefined>;
  /** Ends one session; ending one already ended (or unknown) is not an error. */
  revoke(id: string, at: string): Promise<void>;
  /** Ends every session still open; answers how many. */
  revokeAll(at: string): Promise<number>;
  /** Whether anyone signed in from this client at or after `since`. */
  signedInFrom(client: string, since: string): Promise<boolean>;
  /** Drops sessions that expired before `before`; answers how many. */
  deleteExpired(before: string): Promise<number>;
  /** The cookie-sealing key: the stored one, or `candidate` if none was stored yet (first writer wins). */
  sealingKey(candidate: string): Promise<string>;
}
