import { AsyncLocalStorage } from 'node:async_hooks'
import type { Pool, PoolClient } from 'pg'
import type { Db } from './database.js'

export interface RunResult {
  /** Rows inserted, changed or deleted. */
  changes: number
}

/** One query, written once with `?` placeholders for both engines. */
export interface Statement {
  get(...params: unknown[]): Promise<unknown>
  all(...params: unknown[]): Promise<unknown[]>
  run(...params: unknown[]): Promise<RunResult>
}

/**
 * What the stores need of a database: queries, transactions, and a lock that holds to the end
 * of the transaction. The stores are written once against this, in the SQL both engines speak
 * (`INSERT … RETURNING`, `ON CONFLICT`, double-quoted aliases), so SQLite and PostgreSQL
 * cannot drift apart behaviour by behaviour.
 */
export interface Sql {
  readonly dialect: 'sqlite' | 'postgres'
  prepare(sql: string): Statement
  /** Runs statements without parameters (a migration). */
  exec(sql: string): Promise<void>
  /** Runs `work` in one transaction; queries made inside it (however deep) belong to it. */
  transaction<T>(work: () => Promise<T>): Promise<T>
  /** Inside a transaction: waits for, then holds until commit, the lock named `key` (across every instance). */
  lock(key: string): Promise<void>
  close(): Promise<void>
}

/**
 * SQLite through better-sqlite3: every query runs synchronously and hands back a settled
 * promise, so the embedded mode stays as fast as before. A transaction spans awaits, so
 * queries from outside it wait until it ends instead of landing inside it.
 */
export class SqliteSql implements Sql {
  readonly dialect = 'sqlite' as const
  private readonly insideTransaction = new AsyncLocalStorage<true>()
  private openTransaction: Promise<void> | null = null

  constructor(readonly db: Db) {}

  prepare(sql: string): Statement {
    const statement = this.db.prepare(sql)
    return {
      get: (...params) => this.when(() => statement.get(...params)),
      all: (...params) => this.when(() => statement.all(...params)),
      run: (...params) => this.when(() => ({ changes: statement.run(...params).changes })),
    }
  }

  exec(sql: string): Promise<void> {
    return this.when(() => void this.db.exec(sql))
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.insideTransaction.getStore()) return work()
    while (this.openTransaction) await this.openTransaction
    let finished!: () => void
    this.openTransaction = new Promise((resolve) => (finished = resolve))
    try {
      // IMMEDIATE: take the write lock now, so a read followed by a write cannot find the
      // update log's writer thread committed in between.
      this.db.exec('BEGIN IMMEDIATE')
      const result = await this.insideTransaction.run(true, work)
      this.db.exec('COMMIT')
      return result
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK')
      throw error
    } finally {
      this.openTransaction = null
      // With no AsyncLocalStorage enabled, Node turns its async hooks off again: left on, they
      // cost every promise and socket callback of the process about 3% of its CPU under load.
      this.insideTransaction.disable()
      finished()
    }
  }

  /** One process holds the database's write lock for the whole transaction already. */
  async lock(): Promise<void> {}

  async close(): Promise<void> {
    this.db.close()
  }

  private when<T>(query: () => T): Promise<T> {
    if (this.openTransaction && !this.insideTransaction.getStore()) return this.openTransaction.then(() => this.when(query))
    try {
      return Promise.resolve(query())
    } catch (error) {
      return Promise.reject(error)
    }
  }
}

/** PostgreSQL through a `pg` Pool; a transaction holds one pooled client, found again by its queries. */
export class PostgresSql implements Sql {
  readonly dialect = 'postgres' as const
  private readonly transactionClient = new AsyncLocalStorage<PoolClient>()

  constructor(readonly pool: Pool) {}

  prepare(sql: string): Statement {
    const text = positionalParameters(sql)
    const query = (params: unknown[]) => (this.transactionClient.getStore() ?? this.pool).query(text, params.map(toPostgres))
    return {
      get: async (...params) => (await query(params)).rows[0],
      all: async (...params) => (await query(params)).rows,
      run: async (...params) => ({ changes: (await query(params)).rowCount ?? 0 }),
    }
  }

  async exec(sql: string): Promise<void> {
    await (this.transactionClient.getStore() ?? this.pool).query(sql)
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.transactionClient.getStore()) return work()
    const client = await this.pool.connect()
    // A connection lost between two of the transaction's queries is reported as an event; the
    // next query fails with it anyway, and unheard it would crash the process.
    client.on('error', ignoreConnectionError)
    try {
      await client.query('BEGIN')
      const result = await this.transactionClient.run(client, work)
      await client.query('COMMIT')
      client.off('error', ignoreConnectionError)
      client.release()
      return result
    } catch (error) {
      // Closing the connection rolls the transaction back on the server; waiting for a ROLLBACK
      // on a connection that stopped answering would only delay the failure (and "Not saved").
      client.off('error', ignoreConnectionError)
      client.release(true)
      throw error
    }
  }

  async lock(key: string): Promise<void> {
    if (!this.transactionClient.getStore()) throw new Error('lock() holds until commit, so it needs a transaction')
    await this.prepare('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))').run(key)
  }

  async close(): Promise<void> {
    await this.pool.end()
  }
}

function ignoreConnectionError(): void {}

/** `?` → `$1, $2, …`, outside quoted strings and identifiers. */
export function positionalParameters(sql: string): string {
  let index = 0
  let quote: string | null = null
  let out = ''
  for (const char of sql) {
    if (quote) {
      if (char === quote) quote = null
    } else if (char === "'" || char === '"') {
      quote = char
    } else if (char === '?') {
      out += `$${++index}`
      continue
    }
    out += char
  }
  return out
}

const toPostgres = (value: unknown) => (value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value) : value)
