import type { DerivativeKind, DerivativeState } from "@/lib/contracts/derived-media";

export type { DerivativeKind, DerivativeState };

/** A file made from a stored result; one per (generation, kind, pingPong), made once. */

export interface DerivativeRef {
  generationId: string;
  kind: DerivativeKind;
  pingPong: boolean;
}

export interface DerivativeRecord extends DerivativeRef {
  state: DerivativeState;
  priority: number;
  /** 0..1 while running. */
  progress: number | null;
  mediaKey: string | null;
  bytes: number | null;
  width: number | null;
  height: number | null;
  /** Times a worker started it: each start is one ffmpeg run. */
  runs: number;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DerivativeRepository {
  /** Adds the job unless the same (generation, kind, pingPong) exists; a failed one is queued again. */
  request(ref: DerivativeRef, priority: number, now: string): Promise<DerivativeRecord>;
  find(ref: DerivativeRef): Promise<DerivativeRecord | undefined>;
  listFor(generationId: string): Promise<DerivativeRecord[]>;
  /** The jobs of several generations in one read, by generation (one with none is absent). */
  listForMany(generationIds: readonly string[]): Promise<Map<string, DerivativeRecord[]>>;
  /**
   * Takes the next job that is queued, or running under a lease that ran out; one
   * conditional update, so one worker wins each job. Counts the run.
   */
  claimNext(owner: string, now: string, leaseUntil: string): Promise<DerivativeRecord | undefined>;
  renew(owner: string, leaseUntil: string): Promise<void>;
  /** After a restart: this instance's running jobs are queued again. */
  releaseAll(owner: string): Promise<number>;
  progress(ref: DerivativeRef, owner: string, progress: number, now: string): Promise<void>;
  finish(
    ref: DerivativeRef,
    owner: string,
    outcome: { state: "ready"; mediaKey: string; bytes: number; width: number | null; height: number | null } | { state: "failed" | "queued"; error: string },
    now: string,
  ): Promise<boolean>;
  /** Succeeded generations with a stored result and no frame job yet (made before derivatives existed). */
  listMissing(limit: number): Promise<string[]>;
  /** Rows whose generation is gone (deleted), with their files to remove. */
  listOrphans(limit: number): Promise<DerivativeRecord[]>;
  remove(ref: DerivativeRef): Promise<void>;
  shareLoops(generationId: string): Promise<boolean>;
  setShareLoops(generationId: string, allowed: boolean): Promise<void>;
  /** Drops the owner's settings of a deleted generation. */
  forgetSettings(generationId: string): Promise<void>;
}
