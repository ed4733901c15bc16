import type { Db } from './database.js'

/** A range of Yjs ids one update inserted or deleted. */
export interface ChangeRange {
  kind: 'insert' | 'delete'
  client: number
  clock: number
  length: number
}

export interface UpdateEntry {
  documentId: string
  data: Uint8Array
  /** The person who sent it; null for the server's own edits. */
  userId: number | null
  changes: ChangeRange[]
}

export interface StoredState {
  /** Everything through `throughUpdateId`, merged into one Yjs update; null before the first snapshot. */
  snapshot: Uint8Array | null
  /** The updates after the snapshot, oldest first. */
  updates: Uint8Array[]
  /** The id of the newest stored update (0 when there is none). */
  lastUpdateId: number
  /** Who owns each Yjs client id used on the document. */
  clientOwners: Map<number, number>
}

interface PendingUpdate extends UpdateEntry {
  receivedAt: number
}

export interface UpdateLogEvents {
  /** After a commit: these documents' queued updates are now on disk. */
  onCommitted(documentIds: ReadonlySet<string>): void
  /** A commit failed; the updates stay queued and are retried. */
  onFailed(documentIds: ReadonlySet<string>, error: unknown): void
}

const RETRY_AFTER_FAILURE_MS = 1000

/**
 * The append-only log of every Yjs update, with who sent it and when. Appends are queued and
 * written in group commits: everything that arrived during one turn of the event loop goes
 * to disk in one transaction, so a burst of keystrokes from a whole committee costs one fsync.
 */
export class UpdateLog {
  private pending: PendingUpdate[] = []
  private flushScheduled = false
  private retryTimer: NodeJS.Timeout | null = null

  // Prepared once: a commit runs on every turn of the event loop that saw a keystroke.
  private readonly statements

  constructor(
    private readonly db: Db,
    private readonly events: UpdateLogEvents,
  ) {
    this.statements = {
      insertUpdate: db.prepare('INSERT INTO document_updates (document_id, data, user_id, created_at) VALUES (?, ?, ?, ?)'),
      insertChange: db.prepare(
        `INSERT INTO document_changes (document_id, update_id, user_id, kind, client_id, clock, length, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      // The first person to write under a client id owns it (see collab/updatePolicy.ts).
      claimClient: db.prepare(
        `INSERT INTO document_clients (document_id, client_id, user_id, claimed_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(document_id, client_id) DO NOTHING`,
      ),
      markEdited: db.prepare('UPDATE documents SET updated_at = ? WHERE id = ?'),
    }
  }

  append(entry: UpdateEntry): void {
    this.pending.push({ ...entry, receivedAt: Date.now() })
    this.scheduleFlush()
  }

  hasPending(documentId: string): boolean {
    return this.pending.some((update) => update.documentId === documentId)
  }

  /** Writes every queued update in one transaction. Returns false when the write failed. */
  flush(): boolean {
    this.flushScheduled = false
    if (this.pending.length === 0) return true
    const batch = this.pending
    this.pending = []
    const documentIds = new Set(batch.map((update) => update.documentId))
    try {
      const { insertUpdate, insertChange, claimClient, markEdited } = this.statements
      this.db.transaction(() => {
        for (const update of batch) {
          const { documentId, userId, receivedAt } = update
          const updateId = insertUpdate.run(documentId, update.data, userId, receivedAt).lastInsertRowid
          for (const change of update.changes) {
            insertChange.run(documentId, updateId, userId, change.kind, change.client, change.clock, change.length, receivedAt)
            if (change.kind === 'insert' && userId !== null) claimClient.run(documentId, change.client, userId, receivedAt)
          }
        }
        const now = Date.now()
        for (const documentId of documentIds) markEdited.run(now, documentId)
      })()
    } catch (error) {
      this.pending = batch.concat(this.pending)
      this.retryLater()
      this.events.onFailed(documentIds, error)
      return false
    }
    this.events.onCommitted(documentIds)
    return true
  }

  load(documentId: string): StoredState {
    const snapshot = this.db
      .prepare('SELECT state, through_update_id FROM document_snapshots WHERE document_id = ?')
      .get(documentId) as { state: Buffer; through_update_id: number } | undefined
    const after = snapshot?.through_update_id ?? 0
    const rows = this.db
      .prepare('SELECT id, data FROM document_updates WHERE document_id = ? AND id > ? ORDER BY id')
      .all(documentId, after) as { id: number; data: Buffer }[]
    const owners = this.db
      .prepare('SELECT client_id, user_id FROM document_clients WHERE document_id = ?')
      .all(documentId) as { client_id: number; user_id: number }[]
    return {
      snapshot: snapshot ? new Uint8Array(snapshot.state) : null,
      updates: rows.map((row) => new Uint8Array(row.data)),
      lastUpdateId: rows.at(-1)?.id ?? after,
      clientOwners: new Map(owners.map((owner) => [owner.client_id, owner.user_id])),
    }
  }

  /**
   * Stores `state` (the document merged through `throughUpdateId`) so later loads start from it.
   * One statement, so a crash leaves either the old snapshot or the new one. The update rows are
   * kept: they are the record of who wrote what.
   */
  writeSnapshot(documentId: string, state: Uint8Array, throughUpdateId: number): void {
    this.db
      .prepare(
        `INSERT INTO document_snapshots (document_id, state, through_update_id, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(document_id) DO UPDATE SET state = excluded.state,
           through_update_id = excluded.through_update_id, created_at = excluded.created_at`,
      )
      .run(documentId, state, throughUpdateId, Date.now())
  }

  close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.flush()
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.retryTimer) return
    this.flushScheduled = true
    setImmediate(() => this.flush())
  }

  private retryLater(): void {
    if (this.retryTimer) return
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      this.flush()
    }, RETRY_AFTER_FAILURE_MS)
    this.retryTimer.unref()
  }
}
