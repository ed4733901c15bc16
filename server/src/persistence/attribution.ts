import type { Db } from './database.js'

export interface Authorship {
  userId: number | null
  at: number
}

export interface IdHistory {
  inserted: Authorship | null
  deleted: Authorship | null
}

/** Answers "who wrote this character, who deleted it, and when" from the recorded id ranges. */
export class AttributionStore {
  constructor(private readonly db: Db) {}

  historyOf(documentId: string, client: number, clock: number): IdHistory {
    const rows = this.db
      .prepare(
        `SELECT kind, user_id, created_at FROM document_changes
         WHERE document_id = ? AND client_id = ? AND clock <= ? AND clock + length > ?
         ORDER BY update_id`,
      )
      .all(documentId, client, clock, clock) as { kind: 'insert' | 'delete'; user_id: number | null; created_at: number }[]
    const first = (kind: 'insert' | 'delete') => {
      const row = rows.find((candidate) => candidate.kind === kind)
      return row ? { userId: row.user_id, at: row.created_at } : null
    }
    return { inserted: first('insert'), deleted: first('delete') }
  }
}
