import { randomUUID } from 'node:crypto'
import type { Affiliation, CommentAnchor, CommentThread, InboxItem, Person, ThreadComment, ThreadStatus } from '@accord/shared'
import type { Sql } from './sql.js'

interface ThreadRow {
  id: string
  document_id: string
  author_id: number
  quote: string
  anchor_start: string
  anchor_end: string
  clause_id: string | null
  status: ThreadStatus
  resolved_by: number | null
  resolved_at: number | null
  created_at: number
  updated_at: number
}

interface CommentRow {
  id: string
  thread_id: string
  author_id: number
  body: string | null
  created_at: number
  edited_at: number | null
  deleted_at: number | null
}

interface PersonRow {
  id: number
  username: string
  display_name: string
  affiliation: Affiliation
}

/** What the routes need to decide who may change a thread or a comment. */
export interface ThreadOwnership {
  id: string
  authorId: number
}

export interface CommentOwnership {
  id: string
  authorId: number
  deleted: boolean
}

/** A change to a thread: its new state and the event id it was recorded under. */
export interface ThreadChange {
  thread: CommentThread
  eventId: number
}

export interface NewThread {
  body: string
  quote: string
  anchor: CommentAnchor
}

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString())

/**
 * Comment threads, their comments, the numbered log of their changes (the event stream's ids)
 * and each person's Inbox. Every change is one transaction that also appends to the log.
 */
export class ThreadStore {
  constructor(private readonly db: Sql) {}

  async list(documentId: string): Promise<CommentThread[]> {
    const rows = (await this.db
      .prepare('SELECT * FROM threads WHERE document_id = ? ORDER BY created_at, id')
      .all(documentId)) as ThreadRow[]
    return Promise.all(rows.map((row) => this.present(row)))
  }

  /** The thread when it belongs to this document; another document's thread is simply not found. */
  async thread(documentId: string, threadId: string): Promise<CommentThread | null> {
    const row = await this.row(documentId, threadId)
    return row ? this.present(row) : null
  }

  async ownership(documentId: string, threadId: string): Promise<ThreadOwnership | null> {
    const row = await this.row(documentId, threadId)
    return row ? { id: row.id, authorId: row.author_id } : null
  }

  async commentOwnership(threadId: string, commentId: string): Promise<CommentOwnership | null> {
    const row = (await this.db.prepare('SELECT * FROM comments WHERE id = ? AND thread_id = ?').get(commentId, threadId)) as
      | CommentRow
      | undefined
    return row ? { id: row.id, authorId: row.author_id, deleted: row.deleted_at !== null } : null
  }

  create(documentId: string, authorId: number, input: NewThread, mentionIds: number[]): Promise<ThreadChange> {
    const threadId = randomUUID()
    return this.change(documentId, threadId, async (now) => {
      await this.db
        .prepare(
          `INSERT INTO threads (id, document_id, author_id, quote, anchor_start, anchor_end, clause_id, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(threadId, documentId, authorId, input.quote, input.anchor.start, input.anchor.end, input.anchor.clauseId, now, now)
      const commentId = await this.insertComment(threadId, authorId, input.body, now)
      await this.notify(documentId, threadId, commentId, mentionIds, 'mention', authorId, now)
    })
  }

  reply(documentId: string, thread: ThreadOwnership, authorId: number, body: string, mentionIds: number[]): Promise<ThreadChange> {
    return this.change(documentId, thread.id, async (now) => {
      const commentId = await this.insertComment(thread.id, authorId, body, now)
      await this.notify(documentId, thread.id, commentId, mentionIds, 'mention', authorId, now)
      await this.notify(documentId, thread.id, commentId, [thread.authorId], 'reply', authorId, now)
    })
  }

  /** People newly mentioned by the edit are told; those told before are not told twice. */
  edit(documentId: string, threadId: string, comment: CommentOwnership, body: string, mentionIds: number[]): Promise<ThreadChange> {
    return this.change(documentId, threadId, async (now) => {
      await this.db.prepare('UPDATE comments SET body = ?, edited_at = ? WHERE id = ?').run(body, now, comment.id)
      await this.notify(documentId, threadId, comment.id, mentionIds, 'mention', comment.authorId, now)
    })
  }

  delete(documentId: string, threadId: string, comment: CommentOwnership): Promise<ThreadChange> {
    return this.change(documentId, threadId, async (now) => {
      await this.db.prepare('UPDATE comments SET body = NULL, deleted_at = ? WHERE id = ?').run(now, comment.id)
    })
  }

  setStatus(documentId: string, threadId: string, status: ThreadStatus, userId: number): Promise<ThreadChange> {
    return this.change(documentId, threadId, async (now) => {
      const resolved = status === 'resolved'
      await this.db
        .prepare('UPDATE threads SET status = ?, resolved_by = ?, resolved_at = ? WHERE id = ?')
        .run(status, resolved ? userId : null, resolved ? now : null, threadId)
    })
  }

  /** The newest event id of a document (0 when none): where a fresh stream starts. */
  async lastEventId(documentId: string): Promise<number> {
    const row = (await this.db.prepare('SELECT max(id) AS id FROM thread_events WHERE document_id = ?').get(documentId)) as {
      id: number | null
    }
    return row.id ?? 0
  }

  /** Each thread changed after `afterId`, once, in its current state, under its latest event id. */
  async changesSince(documentId: string, afterId: number): Promise<ThreadChange[]> {
    const rows = (await this.db
      .prepare(
        `SELECT thread_id, max(id) AS id FROM thread_events WHERE document_id = ? AND id > ?
         GROUP BY thread_id ORDER BY max(id)`,
      )
      .all(documentId, afterId)) as { thread_id: string; id: number }[]
    const changes: ThreadChange[] = []
    for (const row of rows) {
      const thread = await this.thread(documentId, row.thread_id)
      if (thread) changes.push({ thread, eventId: row.id })
    }
    return changes
  }

  /** Mentions and replies for a person, newest first, in documents they still belong to. */
  async inbox(userId: number, limit = 100): Promise<InboxItem[]> {
    const rows = (await this.db
      .prepare(
        `SELECT i.id, i.kind, i.read_at, i.created_at, i.document_id, d.title, i.thread_id, t.quote, i.comment_id,
                c.body, c.author_id
         FROM inbox_items i
         JOIN documents d ON d.id = i.document_id
         JOIN document_members m ON m.document_id = i.document_id AND m.user_id = i.user_id
         JOIN threads t ON t.id = i.thread_id
         JOIN comments c ON c.id = i.comment_id
         WHERE i.user_id = ? ORDER BY i.id DESC LIMIT ?`,
      )
      .all(userId, limit)) as {
      id: number
      kind: 'mention' | 'reply'
      read_at: number | null
      created_at: number
      document_id: string
      title: string
      thread_id: string
      quote: string
      comment_id: string
      body: string | null
      author_id: number
    }[]
    const people = await this.people(rows.map((row) => row.author_id))
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      read: row.read_at !== null,
      createdAt: iso(row.created_at)!,
      document: { id: row.document_id, title: row.title },
      threadId: row.thread_id,
      quote: row.quote,
      commentId: row.comment_id,
      from: people.get(row.author_id)!,
      excerpt: row.body === null ? null : row.body.slice(0, 300),
    }))
  }

  /** Marks one of the person's items read; false when it is not theirs. */
  async markRead(userId: number, itemId: number): Promise<boolean> {
    return (
      (await this.db
        .prepare('UPDATE inbox_items SET read_at = coalesce(read_at, ?) WHERE id = ? AND user_id = ?')
        .run(Date.now(), itemId, userId)).changes > 0
    )
  }

  private async change(documentId: string, threadId: string, write: (now: number) => Promise<void>): Promise<ThreadChange> {
    const eventId = await this.db.transaction(async () => {
      const now = Date.now()
      await write(now)
      await this.db.prepare('UPDATE threads SET updated_at = ? WHERE id = ?').run(now, threadId)
      const row = (await this.db
        .prepare('INSERT INTO thread_events (document_id, thread_id, created_at) VALUES (?, ?, ?) RETURNING id')
        .get(documentId, threadId, now)) as { id: number }
      return row.id
    })
    return { thread: (await this.thread(documentId, threadId))!, eventId }
  }

  private async insertComment(threadId: string, authorId: number, body: string, now: number): Promise<string> {
    const id = randomUUID()
    await this.db
      .prepare('INSERT INTO comments (id, thread_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, threadId, authorId, body, now)
    return id
  }

  /** One Inbox item per person and comment (a mention wins over a reply); never for one's own comment. */
  private async notify(
    documentId: string,
    threadId: string,
    commentId: string,
    userIds: number[],
    kind: 'mention' | 'reply',
    authorId: number,
    now: number,
  ): Promise<void> {
    const insert = this.db.prepare(
      `INSERT INTO inbox_items (user_id, document_id, thread_id, comment_id, kind, created_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(user_id, comment_id) DO NOTHING`,
    )
    for (const userId of new Set(userIds)) {
      if (userId !== authorId) await insert.run(userId, documentId, threadId, commentId, kind, now)
    }
  }

  private async row(documentId: string, threadId: string): Promise<ThreadRow | null> {
    return (
      ((await this.db.prepare('SELECT * FROM threads WHERE id = ? AND document_id = ?').get(threadId, documentId)) as
        | ThreadRow
        | undefined) ?? null
    )
  }

  private async present(row: ThreadRow): Promise<CommentThread> {
    const comments = (await this.db
      .prepare('SELECT * FROM comments WHERE thread_id = ? ORDER BY created_at, rowid')
      .all(row.id)) as CommentRow[]
    const people = await this.people([row.author_id, row.resolved_by ?? row.author_id, ...comments.map((c) => c.author_id)])
    return {
      id: row.id,
      quote: row.quote,
      anchor: { start: row.anchor_start, end: row.anchor_end, clauseId: row.clause_id },
      status: row.status,
      author: people.get(row.author_id)!,
      resolvedBy: row.resolved_by === null ? null : people.get(row.resolved_by)!,
      resolvedAt: iso(row.resolved_at),
      createdAt: iso(row.created_at)!,
      updatedAt: iso(row.updated_at)!,
      comments: comments.map(
        (comment): ThreadComment => ({
          id: comment.id,
          author: people.get(comment.author_id)!,
          body: comment.body,
          createdAt: iso(comment.created_at)!,
          editedAt: iso(comment.edited_at),
          deletedAt: iso(comment.deleted_at),
        }),
      ),
    }
  }

  private async people(ids: number[]): Promise<Map<number, Person>> {
    const unique = [...new Set(ids)]
    const rows = (await this.db
      .prepare(`SELECT id, username, display_name, affiliation FROM users WHERE id IN (${unique.map(() => '?').join(',') || 'NULL'})`)
      .all(...unique)) as PersonRow[]
    return new Map(rows.map((row) => [row.id, { username: row.username, displayName: row.display_name, affiliation: row.affiliation }]))
  }
}
