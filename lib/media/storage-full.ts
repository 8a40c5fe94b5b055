/** Error codes that mean "no room left": the disk (or a quota) is full, or SQLite could not grow its file. */
const FULL_CODES = new Set(["ENOSPC", "EDQUOT", "SQLITE_FULL"]);

/** Whether an error (or any error it wraps) says the storage is full. */
export function isStorageFull(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = typeof current === "object" ? (current as { code?: unknown }).code : undefined;
    if (typeof code === "string" && FULL_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The system error code of an error (ENOSPC, ECONNRESET, SQLITE_FULL, ...), for logs. */
export function errorCodeOf(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}
