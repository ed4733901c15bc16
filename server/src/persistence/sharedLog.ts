import * as Y from 'yjs'
import { checkDocument } from '../collab/schemaCheck.js'
import type { Db } from './database.js'
import type { StoredState } from './updateLog.js'
import { snapshotChecksum } from './updateWrites.js'

/** One stored update, with its id in the log and who sent it. */
export interface StoredUpdate {
  id: number
  data: Uint8Array
  userId: number | null
}

/** What a compaction wrote: the snapshot now covers every update through this id (0: nothing stored yet). */
export interface Compaction {
  throughUpdateId: number
  /** False when the snapshot already covered every stored update (or another instance wrote a newer one). */
  written: boolean
}

/** What another instance stored of a document after a given update id. */
export interface StoredSince {
  /** Oldest first. */
  updates: StoredUpdate[]
  /** Who owns each Yjs client id used on the document (only read when there are updates). */
  clientOwners: Map<number, number>
}

/**
 * Reads for several instances sharing one update log (cluster/): each instance catches up
 * with what the others stored by update id, and snapshots are built from the stored rows,
 * never from one instance's memory (which may not yet hold another's newest update).
 *
 * Both rely on one property of the store: a document's update ids become visible in increasing
 * order (a row never commits under an id lower than one already readable). SQLite has it (one
 * writer at a time). A PostgreSQL store must insert a document's rows under a per-document
 * lock held to the commit (e.g. `pg_advisory_xact_lock`), since a sequence hands out ids before
 * commit and two transactions can commit in the other order.
 */
export class SharedLogReads {
  constructor(private readonly db: Db) {}

  updatesAfter(documentId: string, afterId: number): StoredSince {
    const rows = this.db
      .prepare('SELECT id, data, user_id FROM document_updates WHERE document_id = ? AND id > ? ORDER BY id')
      .all(documentId, afterId) as { id: number; data: Buffer; user_id: number | null }[]
    if (rows.length === 0) return { updates: [], clientOwners: new Map() }
    const owners = this.db.prepare('SELECT client_id, user_id FROM document_clients WHERE document_id = ?').all(documentId) as {
      client_id: number
      user_id: number
    }[]
    return {
      updates: rows.map((row) => ({ id: row.id, data: new Uint8Array(row.data), userId: row.user_id })),
      clientOwners: new Map(owners.map((owner) => [owner.client_id, owner.user_id])),
    }
  }

  /**
   * Stores `stored` (a snapshot and the rows after it, read with `UpdateLog.load`) merged into one
   * snapshot through its newest update id, after checking it (every update fits, and the whole
   * passes the schema check; throws, writing nothing, when not). Rows at or below an id never
   * change (ids become visible in increasing order), so such a snapshot is right whoever writes
   * it; the write only replaces an older one (`through_update_id` is the fencing token), so two
   * instances compacting at once cannot go backwards.
   */
  compact(documentId: string, stored: StoredState): Compaction {
    if (stored.updates.length === 0) return { throughUpdateId: stored.lastUpdateId, written: false }
    const doc = new Y.Doc()
    try {
      Y.transact(doc, () => {
        if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
        for (const update of stored.updates) Y.applyUpdate(doc, update)
      })
      if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
        throw new Error('the stored updates do not fit together: some text builds on an update that is missing')
      }
      checkDocument(doc)
      const state = Y.encodeStateAsUpdate(doc)
      const result = this.db
        .prepare(
          `INSERT INTO document_snapshots (document_id, state, state_vector, state_sha256, through_update_id, created_at)
           VALUES (@documentId, @state, @stateVector, @stateSha256, @through, @createdAt)
           ON CONFLICT(document_id) DO UPDATE SET state = excluded.state, state_vector = excluded.state_vector,
             state_sha256 = excluded.state_sha256, through_update_id = excluded.through_update_id, created_at = excluded.created_at
           WHERE excluded.through_update_id > document_snapshots.through_update_id`,
        )
        .run({
          documentId,
          state,
          stateVector: Y.encodeStateVector(doc),
          stateSha256: snapshotChecksum(state),
          through: stored.lastUpdateId,
          createdAt: Date.now(),
        })
      return { throughUpdateId: stored.lastUpdateId, written: result.changes > 0 }
    } finally {
      doc.destroy()
    }
  }
}
