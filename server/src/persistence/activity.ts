import type { ActivityKind, Person } from '@accord/shared'
import type { Db } from './database.js'

/** Kinds recorded here; comments and resolutions are read from the thread tables instead. */
export type RecordedActivityKind = Exclude<ActivityKind, 'commented' | 'resolved'>

export interface ActivityRecord {
  kind: ActivityKind
  person: Person | null
  /** A short phrase completing "<person> …", e.g. the clauses edited or the version's name. */
  detail: string
  at: number
}

interface ActivityRow {
  kind: ActivityKind
  detail: string
  created_at: number
  username: string | null
  display_name: string | null
  affiliation: Person['affiliation'] | null
}

/** "Joined" is recorded at most once per person and document in this window. */
const JOIN_QUIET_MS = 30 * 60_000
const JOIN_FLUSH_MS = 1000

/** The document's own event log: what its activity feed shows beside the comment threads. */
export class ActivityStore {
  private readonly pendingJoins = new Map<string, { documentId: string; userId: number; at: number }>()
  private flushTimer: NodeJS.Timeout | null = null

  /** `onFlushFailed` hears of joins that could not be written in the background (a full disk): they are dropped. */
  constructor(
    private readonly db: Db,
    private readonly onFlushFailed: (error: unknown) => void,
  ) {}

  record(documentId: string, userId: number | null, kind: RecordedActivityKind, detail: string, at = Date.now()): void {
    this.db
      .prepare('INSERT INTO document_activity (document_id, user_id, kind, detail, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(documentId, userId, kind, detail, at)
  }

  /**
   * A join, unless the same person's last one on this document is recent (reconnects are not
   * news). Joins are written together, at most a second later: one commit (one disk flush) for
   * a whole meeting opening the document, instead of one per person on the sockets' path.
   */
  recordJoin(documentId: string, userId: number, at = Date.now()): void {
    const key = `${documentId} ${userId}`
    if (this.pendingJoins.has(key)) return
    const last = this.db
      .prepare(`SELECT MAX(created_at) AS at FROM document_activity WHERE document_id = ? AND user_id = ? AND kind = 'joined'`)
      .get(documentId, userId) as { at: number | null }
    if (last.at !== null && at - last.at < JOIN_QUIET_MS) return
    this.pendingJoins.set(key, { documentId, userId, at })
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        try {
          this.flushJoins()
        } catch (error) {
          this.onFlushFailed(error)
        }
      }, JOIN_FLUSH_MS)
      this.flushTimer.unref()
    }
  }

  /** Writes the joins not yet stored (before reading the feed, and at shutdown). */
  flushJoins(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer)
    this.flushTimer = null
    if (this.pendingJoins.size === 0) return
    const joins = [...this.pendingJoins.values()]
    this.pendingJoins.clear()
    this.db.transaction(() => {
      for (const join of joins) this.record(join.documentId, join.userId, 'joined', '', join.at)
    })()
  }

  /** Newest first: this log, with every comment and resolution from the thread tables. */
  list(documentId: string, limit: number): ActivityRecord[] {
    this.flushJoins()
    const rows = this.db
      .prepare(
        `SELECT e.kind, e.detail, e.created_at, u.username, u.display_name, u.affiliation FROM (
           SELECT kind, user_id, detail, created_at FROM document_activity WHERE document_id = :documentId
           UNION ALL
           SELECT 'commented', c.author_id, t.quote, c.created_at
             FROM comments c JOIN threads t ON t.id = c.thread_id WHERE t.document_id = :documentId
           UNION ALL
           SELECT 'resolved', resolved_by, quote, resolved_at
             FROM threads WHERE document_id = :documentId AND status = 'resolved' AND resolved_at IS NOT NULL
         ) e LEFT JOIN users u ON u.id = e.user_id
         ORDER BY e.created_at DESC LIMIT :limit`,
      )
      .all({ documentId, limit }) as ActivityRow[]
    return rows.map((row) => ({
      kind: row.kind,
      person: row.username === null ? null : { username: row.username, displayName: row.display_name!, affiliation: row.affiliation! },
      detail: row.detail,
      at: row.created_at,
    }))
  }
}
