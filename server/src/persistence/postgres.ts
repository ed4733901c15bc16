import pg from 'pg'
import { postgresMigrations } from './postgresMigrations.js'
import { PostgresSql } from './sql.js'

/** Where the PostgreSQL data lives: the server's URL and, optionally, a schema inside it. */
export interface PostgresLocation {
  url: string
  /** Tables go in this schema (created if missing); the database's default search path otherwise. */
  schema?: string | undefined
}

/** One lock id for every Accord instance: migrations run one instance at a time. */
const MIGRATION_LOCK = 'accord:migrations'
const POOL_SIZE = 10
const CONNECT_TIMEOUT_MS = 5000
const QUERY_TIMEOUT_MS = 15_000

/** Our ids and times are BIGINTs, well inside a JavaScript number; pg would hand them back as strings. */
const BIGINT_OID = 20
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === BIGINT_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
}

export function postgresPool(location: PostgresLocation, max = POOL_SIZE): pg.Pool {
  const pool = new pg.Pool({
    connectionString: location.url,
    max,
    types,
    // An unreachable server (refusing, or silently dropping packets) fails the attempt, so the
    // update log reports "Not saved" and retries, instead of waiting on a dead connection.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: CONNECT_TIMEOUT_MS,
    ...(location.schema ? { options: `-c search_path=${quoteIdentifier(location.schema)}` } : {}),
  })
  // An idle client that loses its server (a restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {})
  return pool
}

/** PostgreSQL could not be reached or set up at start-up; the message says where and why. */
export class DatabaseUnavailable extends Error {
  readonly code = 'database_unavailable'
}

/** Connects and brings the schema up to date; safe when several instances start at once. */
export async function openPostgres(location: PostgresLocation): Promise<PostgresSql> {
  const sql = new PostgresSql(postgresPool(location))
  try {
    await migratePostgres(sql, location.schema)
  } catch (error) {
    await sql.close()
    const reason = error instanceof Error ? error.message : String(error)
    throw new DatabaseUnavailable(
      `Accord cannot use the PostgreSQL database at ${describeLocation(location)} (DATABASE_URL): ${reason}. ` +
        'Check that PostgreSQL is running and that the URL names the right host, user, password and database.',
    )
  }
  return sql
}

/** Where the data is, for messages and logs: never the password. */
export function describeLocation(location: PostgresLocation): string {
  const url = new URL(location.url)
  const where = `${url.hostname}:${url.port || 5432}${url.pathname}`
  return location.schema ? `${where} (schema ${location.schema})` : where
}

/**
 * Each version in its own transaction that first takes an advisory lock: a second instance
 * starting at the same moment waits, then finds the version applied and skips it.
 */
export async function migratePostgres(sql: PostgresSql, schema?: string): Promise<void> {
  for (let version = 1; version <= postgresMigrations.length; version++) {
    await sql.transaction(async () => {
      await sql.lock(MIGRATION_LOCK)
      if (schema) await sql.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`)
      await sql
        .prepare('CREATE TABLE IF NOT EXISTS accord_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)')
        .run()
      const applied = await sql.prepare('SELECT 1 FROM accord_migrations WHERE version = ?').get(version)
      if (applied) return
      await sql.exec(postgresMigrations[version - 1]!)
      await sql.prepare('INSERT INTO accord_migrations (version, applied_at) VALUES (?, ?)').run(version, Date.now())
    })
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
