import type { Database as SqliteDatabase } from "better-sqlite3";
import { SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from "kysely";

/**
 * SQLite rolls a transaction back by itself on some errors (SQLITE_FULL when the disk is
 * full, SQLITE_IOERR, ...). Kysely's ROLLBACK then fails with "cannot rollback - no
 * transaction is active", and that error replaces the real one. This driver rolls back
 * only a transaction that is still open, so the caller sees why it failed.
 */
class HonestRollbackDriver extends SqliteDriver {
  constructor(private readonly database: SqliteDatabase) {
    super({ database });
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.database.inTransaction) return;
    await super.rollbackTransaction(connection);
  }
}

export class HonestSqliteDialect extends SqliteDialect {
  constructor(private readonly database: SqliteDatabase) {
    super({ database });
  }

  override createDriver(): Driver {
    return new HonestRollbackDriver(this.database);
  }
}
