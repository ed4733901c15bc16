import type { Db } from './database.js'
import type { Sql } from './sql.js'

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

/** Answers `historyOf` for one document from its rows, read once: for readers without a synchronous connection (PostgreSQL). */
export async function loadAttribution(sql: Sql, documentId: string): Promise<Pick<AttributionStore, 'historyOf'>> {
  const rows = (await sql
    .prepare('SELECT kind, user_id, created_at, client_id, clock, length FROM document_changes WHERE document_id = ? ORDER BY update_id')
    .all(documentId)) as { kind: 'insert' | 'delete'; user_id: number | null; created_at: number; client_id: number; clock: number; length: number }[]
  const byClient = new Map<number, typeof rows>()
  for (const row of rows) {
    const list = byClient.get(row.client_id)
    if (list) list.push(row)
    else byClient.set(row.client_id, [row])
  }
  return {
    historyOf(wanted: string, client: number, clock: number): IdHistory {
      if (wanted !== documentId) throw new Error('this attribution was loaded for another document')
      const ranges = (byClient.get(client) ?? []).filter((row) => row.clock <= clock && row.clock + row.length > clock)
      const first = (kind: 'insert' | 'delete') => {
        const row = ranges.find((candidate) => candidate.kind === kind)
        return row ? { userId: row.user_id, at: row.created_at } : null
      }
      return { inserted: first('insert'), deleted: first('delete') }
    },
  }
}
