import { createHash } from 'node:crypto'
import type { Db } from './database.js'
import type { Compaction } from './storedState.js'

/** A range of Yjs ids one update inserted or deleted. */
export interface ChangeRange {
  kind: 'insert' | 'delete'
  client: number
  clock: number
  length: number
}

export interface UpdateEntry {
  /** The room's count of updates handed to the log, this one included. */
  sequence: number
  documentId: string
  data: Uint8Array
  /** The person who sent it; null for the server's own edits. */
  userId: number | null
  changes: ChangeRange[]
}

export interface ReceivedUpdate extends UpdateEntry {
  receivedAt: number
}

export type WriteTask =
  | { kind: 'updates'; updates: ReceivedUpdate[] }
  /** A live state that holds exactly what is stored of the document (nothing of it pending). */
  | { kind: 'snapshot'; documentId: string; state: Uint8Array; stateVector: Uint8Array }
  /** A snapshot built from the stored rows (see storedState.compactDocument). */
  | { kind: 'compact'; documentId: string }

export type WriteRequest = WriteTask & { id: number }

export type WriteReply = { id: number; ok: true; compaction?: Compaction } | { id: number; ok: false; message: string }

/** The statements that write the update log, prepared once per connection. */
export function updateWriter(db: Db) {
  const insertUpdate = db.prepare('INSERT INTO document_updates (document_id, data, user_id, created_at) VALUES (?, ?, ?, ?)')
  const insertChange = db.prepare(
    `INSERT INTO document_changes (document_id, update_id, user_id, kind, client_id, clock, length, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  // The first person to write under a client id owns it (see collab/updatePolicy.ts).
  const claimClient = db.prepare(
    `INSERT INTO document_clients (document_id, client_id, user_id, claimed_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(document_id, client_id) DO NOTHING`,
  )
  const markEdited = db.prepare('UPDATE documents SET updated_at = ? WHERE id = ?')
  // Through the newest stored update: a snapshot is only asked for when the state holds
  // exactly what is stored (nothing of the document is queued), and requests run in order.
  const upsertSnapshot = db.prepare(
    `INSERT INTO document_snapshots (document_id, state, state_vector, state_sha256, through_update_id, created_at)
     VALUES (@documentId, @state, @stateVector, @stateSha256,
       (SELECT coalesce(max(id), 0) FROM document_updates WHERE document_id = @documentId), @createdAt)
     ON CONFLICT(document_id) DO UPDATE SET state = excluded.state, state_vector = excluded.state_vector,
       state_sha256 = excluded.state_sha256, through_update_id = excluded.through_update_id, created_at = excluded.created_at`,
  )

  /** Every update of a batch, its attribution and client claims, in one transaction: one fsync. */
  const writeUpdates = db.transaction((batch: ReceivedUpdate[]) => {
    for (const { documentId, data, userId, receivedAt, changes } of batch) {
      const updateId = insertUpdate.run(documentId, data, userId, receivedAt).lastInsertRowid
      for (const change of changes) {
        insertChange.run(documentId, updateId, userId, change.kind, change.client, change.clock, change.length, receivedAt)
        if (change.kind === 'insert' && userId !== null) claimClient.run(documentId, change.client, userId, receivedAt)
      }
    }
    const now = Date.now()
    for (const documentId of new Set(batch.map((update) => update.documentId))) markEdited.run(now, documentId)
  })

  /**
   * One statement, so a crash leaves either the old snapshot or the new one. The update rows
   * are kept: they are the record of who wrote what.
   */
  const writeSnapshot = (documentId: string, state: Uint8Array, stateVector: Uint8Array) =>
    upsertSnapshot.run({ documentId, state, stateVector, stateSha256: snapshotChecksum(state), createdAt: Date.now() })

  return (request: Exclude<WriteTask, { kind: 'compact' }>): void => {
    if (request.kind === 'updates') writeUpdates(request.updates)
    else writeSnapshot(request.documentId, request.state, request.stateVector)
  }
}

/** The checksum stored with a snapshot and checked when it is loaded. */
export function snapshotChecksum(state: Uint8Array): Buffer {
  return createHash('sha256').update(state).digest()
}
