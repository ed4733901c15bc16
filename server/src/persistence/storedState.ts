import * as Y from 'yjs'
import type { Sql } from './sql.js'
import { snapshotChecksum } from './updateWrites.js'

export interface StoredState {
  /** Everything through `throughUpdateId`, merged into one Yjs update; null before the first snapshot. */
  snapshot: Uint8Array | null
  /** The snapshot's state vector (null for snapshots stored before it was kept). */
  snapshotStateVector: Uint8Array | null
  /** The updates after the snapshot, oldest first. */
  updates: Uint8Array[]
  /** The id of the newest stored update (0 when there is none). */
  lastUpdateId: number
  /** Who owns each Yjs client id used on the document. */
  clientOwners: Map<number, number>
}

interface SnapshotRow {
  state: Buffer
  state_vector: Buffer | null
  state_sha256: Buffer | null
  through_update_id: number
}

/**
 * What is stored of a document: its snapshot, then every update after it. In that order, a
 * snapshot written between the two reads cannot leave a gap (the updates it covers are kept).
 * Throws if the snapshot is damaged (a load must then refuse the document).
 */
export async function loadStoredState(sql: Sql, documentId: string): Promise<StoredState> {
  const snapshot = (await sql
    .prepare('SELECT state, state_vector, state_sha256, through_update_id FROM document_snapshots WHERE document_id = ?')
    .get(documentId)) as SnapshotRow | undefined
  if (snapshot) checkSnapshot(snapshot.state, snapshot.state_sha256)
  const after = snapshot?.through_update_id ?? 0
  const rows = (await sql.prepare('SELECT id, data FROM document_updates WHERE document_id = ? AND id > ? ORDER BY id').all(documentId, after)) as {
    id: number
    data: Buffer
  }[]
  const owners = (await sql.prepare('SELECT client_id, user_id FROM document_clients WHERE document_id = ?').all(documentId)) as {
    client_id: number
    user_id: number
  }[]
  return {
    snapshot: snapshot ? new Uint8Array(snapshot.state) : null,
    snapshotStateVector: snapshot?.state_vector ? new Uint8Array(snapshot.state_vector) : null,
    updates: rows.map((row) => new Uint8Array(row.data)),
    lastUpdateId: rows.at(-1)?.id ?? after,
    clientOwners: new Map(owners.map((owner) => [owner.client_id, owner.user_id])),
  }
}

/**
 * Held by whoever appends a document's updates or rewrites its snapshot, until commit. On
 * PostgreSQL update ids come from a sequence and can commit out of order across instances;
 * under this lock they cannot, so "every update through id N" means the same to every reader.
 */
export const documentLock = (documentId: string) => `accord:document:${documentId}`

/** What a compaction wrote: the snapshot now covers every update through this id (0: nothing stored yet). */
export interface Compaction {
  throughUpdateId: number
  /** False when the snapshot already covered every stored update (or another instance wrote it first). */
  written: boolean
}

/**
 * Rebuilds the document's snapshot from the stored rows: the snapshot and the updates after it,
 * applied to a fresh Y.Doc, checked (every update fits, and the whole passes the schema check),
 * and written as covering exactly the newest update read. Holds the document's lock for the
 * whole transaction, so instances sharing a database never interleave two compactions, and a
 * snapshot never claims an update it does not hold, whatever the live rooms contain. Throws
 * (writing nothing) when the stored state fails a check.
 */
export function compactDocument(sql: Sql, documentId: string): Promise<Compaction> {
  return sql.transaction(async () => {
    await sql.lock(documentLock(documentId))
    const stored = await loadStoredState(sql, documentId)
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
      // Loaded when first needed: the schema (ProseMirror, Tiptap) is heavy for the writer thread.
      const { checkDocument } = await import('../collab/schemaCheck.js')
      checkDocument(doc)
      const state = Y.encodeStateAsUpdate(doc)
      const written = await writeSnapshotRow(sql, documentId, state, Y.encodeStateVector(doc), stored.lastUpdateId)
      return { throughUpdateId: stored.lastUpdateId, written }
    } finally {
      doc.destroy()
    }
  })
}

/** One stored update, with its id in the log and who sent it. */
export interface StoredUpdate {
  id: number
  data: Uint8Array
  userId: number | null
}

/** What is stored of a document after a given update id (how an instance catches up with others). */
export interface StoredSince {
  /** Oldest first. */
  updates: StoredUpdate[]
  /** Who owns each Yjs client id used on the document (only read when there are updates). */
  clientOwners: Map<number, number>
}

export async function updatesAfter(sql: Sql, documentId: string, afterId: number): Promise<StoredSince> {
  const rows = (await sql.prepare('SELECT id, data, user_id FROM document_updates WHERE document_id = ? AND id > ? ORDER BY id').all(documentId, afterId)) as {
    id: number
    data: Buffer
    user_id: number | null
  }[]
  if (rows.length === 0) return { updates: [], clientOwners: new Map() }
  const owners = (await sql.prepare('SELECT client_id, user_id FROM document_clients WHERE document_id = ?').all(documentId)) as {
    client_id: number
    user_id: number
  }[]
  return {
    updates: rows.map((row) => ({ id: row.id, data: new Uint8Array(row.data), userId: row.user_id })),
    clientOwners: new Map(owners.map((owner) => [owner.client_id, owner.user_id])),
  }
}

/** Never moves a snapshot backwards (`through_update_id` is the fencing token); resolves whether it wrote. */
export async function writeSnapshotRow(sql: Sql, documentId: string, state: Uint8Array, stateVector: Uint8Array, throughUpdateId: number): Promise<boolean> {
  const { changes } = await sql
    .prepare(
      `INSERT INTO document_snapshots (document_id, state, state_vector, state_sha256, through_update_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(document_id) DO UPDATE SET state = excluded.state, state_vector = excluded.state_vector,
         state_sha256 = excluded.state_sha256, through_update_id = excluded.through_update_id, created_at = excluded.created_at
       WHERE excluded.through_update_id > document_snapshots.through_update_id`,
    )
    .run(documentId, Buffer.from(state), Buffer.from(stateVector), snapshotChecksum(state), throughUpdateId, Date.now())
  return changes > 0
}

/**
 * A snapshot is served without being decoded, so it is checked against the checksum stored
 * with it; one stored before checksums were kept is decoded once instead.
 */
function checkSnapshot(state: Buffer, sha256: Buffer | null): void {
  if (sha256 ? !snapshotChecksum(state).equals(sha256) : !decodes(state)) {
    throw new Error('the stored snapshot is damaged: it does not match its checksum, or cannot be read')
  }
}

function decodes(update: Uint8Array): boolean {
  try {
    Y.encodeStateVectorFromUpdate(update)
    return true
  } catch {
    return false
  }
}
