import path from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import * as Y from 'yjs'
import { DATABASE_FILE } from '../../src/persistence/database.js'
import { quoteIdentifier } from '../../src/persistence/postgres.js'
import { requireTestDatabaseUrl, schemaForDataDir, SERVER_TESTS_ON_POSTGRES } from './postgres.js'

export interface StoredDocument {
  /** The snapshot (if any) and the updates stored after it: what a load reads. */
  fromSnapshot: Y.Doc
  /** Every stored update from the first: the log on its own. */
  fromLog: Y.Doc
  integrity: string
}

interface Rows {
  snapshot: { state: Buffer; through_update_id: number } | undefined
  updates: { id: number; data: Buffer }[]
  integrity: string
}

/**
 * A document rebuilt straight from the stored rows with Yjs, without the server's code: the
 * test's independent reading of what is on disk. Open it only while no server writes the file.
 * With TEST_STORE=postgres, the rows of the schema the test server on `dataDir` used.
 */
export async function readStoredDocument(dataDir: string, documentId: string): Promise<StoredDocument> {
  const { snapshot, updates, integrity } = SERVER_TESTS_ON_POSTGRES ? await postgresRows(dataDir, documentId) : sqliteRows(dataDir, documentId)
  const fromSnapshot = new Y.Doc()
  if (snapshot) Y.applyUpdate(fromSnapshot, snapshot.state)
  for (const update of updates) if (update.id > (snapshot?.through_update_id ?? 0)) Y.applyUpdate(fromSnapshot, update.data)
  const fromLog = new Y.Doc()
  for (const update of updates) Y.applyUpdate(fromLog, update.data)
  return { fromSnapshot, fromLog, integrity }
}

function sqliteRows(dataDir: string, documentId: string): Rows {
  const db = new Database(path.join(dataDir, DATABASE_FILE))
  try {
    return {
      snapshot: db.prepare('SELECT state, through_update_id FROM document_snapshots WHERE document_id = ?').get(documentId) as Rows['snapshot'],
      updates: db.prepare('SELECT id, data FROM document_updates WHERE document_id = ? ORDER BY id').all(documentId) as Rows['updates'],
      integrity: db.pragma('integrity_check', { simple: true }) as string,
    }
  } finally {
    db.close()
  }
}

/** PostgreSQL keeps its own pages consistent; "integrity" is only that the rows could be read. */
async function postgresRows(dataDir: string, documentId: string): Promise<Rows> {
  const client = new pg.Client({ connectionString: requireTestDatabaseUrl() })
  await client.connect()
  try {
    const schema = quoteIdentifier(schemaForDataDir(dataDir))
    const snapshot = await client.query(`SELECT state, through_update_id::float8 AS through_update_id FROM ${schema}.document_snapshots WHERE document_id = $1`, [documentId])
    const updates = await client.query(`SELECT id::float8 AS id, data FROM ${schema}.document_updates WHERE document_id = $1 ORDER BY id`, [documentId])
    return { snapshot: snapshot.rows[0], updates: updates.rows, integrity: 'ok' }
  } finally {
    await client.end()
  }
}

/** Whether a rebuilt document holds structs it could not place (something it builds on is missing). */
export function hasPending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null
}
