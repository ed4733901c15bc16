import type { ActivityKind, Person } from '@accord/shared'
import type { Sql } from './sql.js'

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
    private readonly db: Sql,
    private readonly onFlushFailed: (error: unknown) => void,
  ) {}

  async record(documentId: string, userId: number | null, kind: RecordedActivityKind, detail: string, at = Date.now()): Promise<void> {
    await this.db
      .prepare('INSERT INTO document_activity (document_id, user_id, kind, detail, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(documentId, userId, kind, detail, at)
  }

  /**
   * A join, unless the same person's last one on this document is recent (reconnects are not
   * news). Joins are written together, at most a second later: one commit (one disk flush) for
   * a whole meeting opening the document, instead of one per person on the sockets' path.
   */
  async recordJoin(documentId: string, userId: number, at = Date.now()): Promise<void> {
    const key = `${documentId} ${userId}`
    if (this.pendingJoins.has(key)) return
    const last = (await this.db
      .prepare(`SELECT MAX(created_at) AS at FROM document_activity WHERE document_id = ? AND user_id = ? AND kind = 'joined'`)
      .get(documentId, userId)) as { at: number | null }
    if (last.at !== null && at - last.at < JOIN_QUIET_MS) return
    if (this.pendingJoins.has(key)) return
    this.pendingJoins.set(key, { documentId, userId, at })
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushJoins().catch((error: unknown) => this.onFlushFailed(error))
      }, JOIN_FLUSH_MS)
      this.flushTimer.unref()
    }
  }

  /** Writes the joins not yet stored (before reading the feed, and at shutdown). */
  async flushJoins(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer)
    this.flushTimer = null
    if (this.pendingJoins.size === 0) return
    const joins = [...this.pendingJoins.values()]
    this.pendingJoins.clear()
    await this.db.transaction(async () => {
      for (const join of joins) await this.record(join.documentId, join.userId, 'joined', '', join.at)
    })
  }

  /** Newest first: this log, with every comment and resolution from the thread tables. */
  async list(documentId: string, limit: number): Promise<ActivityRecord[]> {
    await this.flushJoins()
    const rows = (await this.db
      .prepare(
        `SELECT e.kind, e.detail, e.created_at, u.username, u.display_name, u.affiliation FROM (
           SELECT kind, user_id, detail, created_at FROM document_activity WHERE document_id = ?
           UNION ALL
           SELECT 'commented', c.author_id, t.quote, c.created_at
             FROM comments c JOIN threads t ON t.id = c.thread_id WHERE t.document_id = ?
           UNION ALL
           SELECT 'resolved', resolved_by, quote, resolved_at
             FROM threads WHERE document_id = ? AND status = 'resolved' AND resolved_at IS NOT NULL
         ) e LEFT JOIN users u ON u.id = e.user_id
         ORDER BY e.created_at DESC LIMIT ?`,
      )
      .all(documentId, documentId, documentId, limit)) as ActivityRow[]
    return rows.map((row) => ({
      kind: row.kind,
      person: row.username === null ? null : { username: row.username, displayName: row.display_name!, affiliation: row.affiliation! },
      detail: row.detail,
      at: row.created_at,
    }))
  }
}
