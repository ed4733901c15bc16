import path from 'node:path'
import Database from 'better-sqlite3'
import * as Y from 'yjs'
import { DATABASE_FILE } from '../../src/persistence/database.js'

export interface StoredDocument {
  /** The snapshot (if any) and the updates stored after it: what a load reads. */
  fromSnapshot: Y.Doc
  /** Every stored update from the first: the log on its own. */
  fromLog: Y.Doc
  integrity: string
}

/**
 * A document rebuilt straight from the SQLite file with Yjs, without the server's code: the
 * test's independent reading of what is on disk. Open it only while no server writes the file.
 */
export function readStoredDocument(dataDir: string, documentId: string): StoredDocument {
  const db = new Database(path.join(dataDir, DATABASE_FILE))
  try {
    const snapshot = db.prepare('SELECT state, through_update_id FROM document_snapshots WHERE document_id = ?').get(documentId) as
      | { state: Buffer; through_update_id: number }
      | undefined
    const updates = db.prepare('SELECT id, data FROM document_updates WHERE document_id = ? ORDER BY id').all(documentId) as {
      id: number
      data: Buffer
    }[]
    const fromSnapshot = new Y.Doc()
    if (snapshot) Y.applyUpdate(fromSnapshot, snapshot.state)
    for (const update of updates) if (update.id > (snapshot?.through_update_id ?? 0)) Y.applyUpdate(fromSnapshot, update.data)
    const fromLog = new Y.Doc()
    for (const update of updates) Y.applyUpdate(fromLog, update.data)
    return { fromSnapshot, fromLog, integrity: db.pragma('integrity_check', { simple: true }) as string }
  } finally {
    db.close()
  }
}

/** Whether a rebuilt document holds structs it could not place (something it builds on is missing). */
export function hasPending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null
}
