import path from 'node:path'
import { ActivityStore } from './activity.js'
import { DATABASE_FILE, openDatabase, type Db } from './database.js'
import { DocumentStore } from './documents.js'
import { FinalStore } from './finals.js'
import { openPostgres, type PostgresLocation } from './postgres.js'
import { PostgresUpdateStorage } from './postgresUpdateStorage.js'
import { SessionStore } from './sessions.js'
import { SqliteSql, type Sql } from './sql.js'
import { SqliteUpdateStorage } from './sqliteUpdateStorage.js'
import { TemplateStore } from './templates.js'
import { ThreadStore } from './threads.js'
import type { UpdateLogStorage } from './updateLog.js'
import { UserStore } from './users.js'
import { VersionStore } from './versions.js'

/** Where the data is, in a form a worker thread can open again (its own connection). */
export type StorageLocation = { kind: 'sqlite'; file: string } | ({ kind: 'postgres' } & PostgresLocation)

export interface StorageOptions {
  dataDir: string
  /** PostgreSQL instead of the embedded SQLite file, when set. */
  postgres: PostgresLocation | null
}

/**
 * Every store, over one database: SQLite (the default, a file in DATA_DIR) or PostgreSQL
 * (DATABASE_URL). The stores are the same classes either way; see sql.ts.
 */
export interface Storage {
  readonly location: StorageLocation
  readonly sql: Sql
  /** The SQLite connection, for tools that read the file directly; null on PostgreSQL. */
  readonly sqlite: Db | null
  readonly users: UserStore
  readonly sessions: SessionStore
  readonly documents: DocumentStore
  readonly templates: TemplateStore
  readonly threads: ThreadStore
  readonly finals: FinalStore
  readonly versions: VersionStore
  activity(onFlushFailed: (error: unknown) => void): ActivityStore
  /** The update log's writer and reader (the UpdateLog queues in front of it). */
  updateLog(): UpdateLogStorage
  close(): Promise<void>
}

/** Opens (creating and migrating as needed) the configured database. */
export async function openStorage(options: StorageOptions): Promise<Storage> {
  if (options.postgres) {
    const sql = await openPostgres(options.postgres)
    return storageOver(sql, { kind: 'postgres', ...options.postgres }, null, () => new PostgresUpdateStorage(sql))
  }
  const db = openDatabase(options.dataDir)
  const sql = new SqliteSql(db)
  return storageOver(sql, { kind: 'sqlite', file: path.join(options.dataDir, DATABASE_FILE) }, db, () => new SqliteUpdateStorage(db, sql))
}

function storageOver(sql: Sql, location: StorageLocation, sqlite: Db | null, updateLog: () => UpdateLogStorage): Storage {
  return {
    location,
    sql,
    sqlite,
    users: new UserStore(sql),
    sessions: new SessionStore(sql),
    documents: new DocumentStore(sql),
    templates: new TemplateStore(sql),
    threads: new ThreadStore(sql),
    finals: new FinalStore(sql),
    versions: new VersionStore(sql),
    activity: (onFlushFailed) => new ActivityStore(sql, onFlushFailed),
    updateLog,
    close: () => sql.close(),
  }
}
