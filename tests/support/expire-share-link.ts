import SqliteDatabase from "better-sqlite3";

/** Makes a server's stored share link expire a second ago, as time would, in its SQLite file beside it. */
export function expireShareLink(sqliteFile: string, token: string): void {
  const db = new SqliteDatabase(sqliteFile, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    const changed = db.prepare("update generations set share_expires_at = ? where share_token = ?").run(new Date(Date.now() - 1000).toISOString(), token);
    if (changed.changes !== 1) throw new Error(`no stored share link ${token} to expire`);
  } finally {
    db.close();
  }
}
