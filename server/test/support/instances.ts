import { randomUUID } from 'node:crypto'
import path from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { quoteIdentifier } from '../../src/persistence/postgres.js'
import { DATABASE_FILE } from '../../src/persistence/database.js'
import { ApiClient, createDocument, setUpAdmin } from './api.js'
import { waitFor } from './collab.js'
import { freePort, spawnServer, type ServerProcess } from './process.js'
import { tempDataDir, type ServerAddress } from './server.js'

/** Where every instance says it is served from, as behind one reverse proxy: browsers send this Origin to all. */
export const PUBLIC_URL = 'http://accord.test'

export interface InstancesOptions {
  count: number
  redisUrl: string
  /** The SQLite data directory all instances share (a new one when absent); also each instance's DATA_DIR with PostgreSQL. */
  sharedDataDir?: string
  /** Store in this PostgreSQL database instead of the shared SQLite file (DATABASE_URL). */
  databaseUrl?: string
  /** With `databaseUrl`: the schema every instance keeps its tables in (DATABASE_SCHEMA), empty at the start. */
  databaseSchema?: string
  /** Redis channel prefix; a new one per call, so test runs sharing one Redis never hear each other. */
  prefix?: string
  /** More environment for every instance. */
  env?: Record<string, string>
}

export interface Instance extends ServerAddress {
  port: number
  process: ServerProcess
}

/** Several real server processes of one deployment: shared storage, one Redis, each on its own port. */
export class Instances {
  readonly dataDir: string
  readonly prefix: string
  readonly list: Instance[] = []

  private constructor(private readonly options: InstancesOptions) {
    this.dataDir = options.sharedDataDir ?? tempDataDir()
    this.prefix = options.prefix ?? `accord-test-${randomUUID().slice(0, 8)}:`
  }

  static async start(options: InstancesOptions): Promise<Instances> {
    const instances = new Instances(options)
    try {
      for (let index = 0; index < options.count; index++) instances.list.push(await instances.spawn(await freePort()))
    } catch (error) {
      await instances.stopAll()
      throw error
    }
    return instances
  }

  get(index: number): Instance {
    return this.list[index]!
  }

  /** The same person, signed in through another instance (sessions live in the shared database). */
  on(index: number, client: ApiClient): ApiClient {
    const other = new ApiClient(this.get(index))
    other.cookie = client.cookie
    return other
  }

  /** Creates the first admin (through instance 0) and one document. */
  async setUp(): Promise<{ admin: ApiClient; documentId: string }> {
    const first = this.get(0)
    await waitFor(() => /\/setup\?token=\S+\n/.test(first.process.output()), 'the setup link')
    const token = /\/setup\?token=(\S+)/.exec(first.process.output())![1]!
    const admin = await setUpAdmin({ ...first, setupUrl: `${PUBLIC_URL}/setup?token=${token}` }, 'owner')
    return { admin, documentId: (await createDocument(admin)).id }
  }

  kill(index: number, signal: NodeJS.Signals): Promise<number | null> {
    const { process } = this.get(index)
    process.child.kill(signal)
    return process.exited
  }

  /** Starts instance `index` again on its port (after `kill`). */
  async restart(index: number): Promise<void> {
    this.list[index] = await this.spawn(this.get(index).port)
  }

  async readyz(index: number): Promise<number> {
    try {
      return (await fetch(`${this.get(index).url}/readyz`)).status
    } catch {
      return 0
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      this.list.map(async ({ process }) => {
        if (process.child.exitCode !== null || process.child.signalCode !== null) return
        process.child.kill('SIGKILL')
        await process.exited
      }),
    )
  }

  /**
   * The document's stored update rows and insert ranges, read straight from storage. Each
   * update is stored once: no Yjs insert range may appear in two rows.
   */
  async storedRows(documentId: string): Promise<{
    updates: number
    duplicateInserts: number
    /** Insert ranges stored under two different people: must never happen (it would misattribute text). */
    insertsUnderTwoPeople: number
    snapshotThrough: number | null
    newestUpdateId: number
  }> {
    const queries = {
      updates: 'SELECT count(*) AS n FROM document_updates WHERE document_id = $1',
      duplicateInserts: `SELECT count(*) AS n FROM (SELECT client_id, clock FROM document_changes WHERE document_id = $1 AND kind = 'insert'
         GROUP BY client_id, clock HAVING count(*) > 1) AS repeated`,
      insertsUnderTwoPeople: `SELECT count(*) AS n FROM (SELECT client_id, clock FROM document_changes WHERE document_id = $1 AND kind = 'insert'
         GROUP BY client_id, clock HAVING count(DISTINCT user_id) > 1) AS shared`,
      snapshotThrough: 'SELECT through_update_id AS n FROM document_snapshots WHERE document_id = $1',
      newestUpdateId: 'SELECT max(id) AS n FROM document_updates WHERE document_id = $1',
    }
    const read = this.options.databaseUrl ? await this.postgresReader(documentId) : this.sqliteReader(documentId)
    try {
      const number = async (sql: string) => {
        const value = await read.one(sql)
        return value === null || value === undefined ? null : Number(value)
      }
      return {
        updates: (await number(queries.updates))!,
        duplicateInserts: (await number(queries.duplicateInserts))!,
        insertsUnderTwoPeople: (await number(queries.insertsUnderTwoPeople))!,
        snapshotThrough: await number(queries.snapshotThrough),
        newestUpdateId: (await number(queries.newestUpdateId)) ?? 0,
      }
    } finally {
      await read.close()
    }
  }

  private sqliteReader(documentId: string) {
    const db = new Database(path.join(this.dataDir, DATABASE_FILE), { readonly: true })
    return {
      one: async (sql: string) => (db.prepare(sql.replace('$1', '?')).get(documentId) as { n: unknown } | undefined)?.n,
      close: async () => db.close(),
    }
  }

  private async postgresReader(documentId: string) {
    const client = new pg.Client({ connectionString: this.options.databaseUrl })
    await client.connect()
    await client.query(`SET search_path TO ${quoteIdentifier(this.options.databaseSchema ?? 'public')}`)
    return {
      one: async (sql: string) => (await client.query<{ n: unknown }>(sql, [documentId])).rows[0]?.n,
      close: () => client.end(),
    }
  }

  private async spawn(port: number): Promise<Instance> {
    const env: Record<string, string> = {
      PUBLIC_URL,
      REDIS_URL: this.options.redisUrl,
      REDIS_PREFIX: this.prefix,
      ...this.options.env,
    }
    if (this.options.databaseUrl) env.DATABASE_URL = this.options.databaseUrl
    if (this.options.databaseSchema) env.DATABASE_SCHEMA = this.options.databaseSchema
    const process = await spawnServer(this.dataDir, port, env)
    return { port, url: `http://127.0.0.1:${port}`, origin: new URL(PUBLIC_URL).origin, setupUrl: null, process }
  }
}
