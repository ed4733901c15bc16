import { randomBytes } from 'node:crypto'
import path from 'node:path'
import pg from 'pg'
import { quoteIdentifier } from '../../src/persistence/postgres.js'

/** The PostgreSQL server the tests may use; unset means the PostgreSQL tests are not run. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || null

/** `TEST_STORE=postgres` runs the server tests (those started with startTestServer) on PostgreSQL. */
export const SERVER_TESTS_ON_POSTGRES = process.env.TEST_STORE === 'postgres'

/** Every schema this run makes starts with this, so a run drops its own and never another's. */
export const RUN_PREFIX = `accord_t_${process.env.ACCORD_TEST_RUN ?? randomBytes(4).toString('hex')}`

export function requireTestDatabaseUrl(): string {
  if (!TEST_DATABASE_URL) throw new Error('TEST_STORE=postgres needs TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)')
  return TEST_DATABASE_URL
}

/** The schema a test server on `dataDir` keeps its tables in: a restart on the same directory finds them again. */
export function schemaForDataDir(dataDir: string): string {
  return `${RUN_PREFIX}_${path.basename(dataDir).replace(/[^A-Za-z0-9]/g, '_')}`.toLowerCase().slice(0, 63)
}

/** A new, empty schema name of this run (created by whoever opens it). */
export function freshSchema(): string {
  return `${RUN_PREFIX}_${randomBytes(6).toString('hex')}`
}

/** Drops the schemas named, or every schema of this run. */
export async function dropSchemas(url: string, names?: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const schemas =
      names ??
      (await client.query<{ name: string }>('SELECT nspname AS name FROM pg_namespace WHERE starts_with(nspname, $1)', [`${RUN_PREFIX}_`])).rows.map(
        (row) => row.name,
      )
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`)
  } finally {
    await client.end()
  }
}
