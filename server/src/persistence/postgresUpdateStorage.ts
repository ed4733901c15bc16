import type { PostgresSql } from './sql.js'
import { compactDocument, documentLock, loadStoredState, type Compaction, type StoredState } from './storedState.js'
import type { UpdateLogStorage } from './updateLog.js'
import type { ReceivedUpdate, WriteTask } from './updateWrites.js'

/**
 * The update log in PostgreSQL. `pg` is asynchronous, so the group commit runs on the main
 * thread without holding up a socket: the UpdateLog sends one batch at a time and acknowledges
 * it only when this transaction's COMMIT has returned.
 */
export class PostgresUpdateStorage implements UpdateLogStorage {
  constructor(private readonly sql: PostgresSql) {}

  async write(task: WriteTask): Promise<Compaction | undefined> {
    if (task.kind === 'updates') {
      await this.writeUpdates(task.updates)
      return undefined
    }
    // A live room's state is not what another instance may have stored meanwhile: the snapshot
    // is always rebuilt from the rows, under the document's lock.
    return compactDocument(this.sql, task.documentId)
  }

  load(documentId: string): Promise<StoredState> {
    return loadStoredState(this.sql, documentId)
  }

  /** The pool belongs to the Storage, which closes it. */
  async close(): Promise<void> {}

  /** Every update of a batch, its attribution and client claims, in one transaction. */
  private writeUpdates(batch: ReceivedUpdate[]): Promise<void> {
    const sql = this.sql
    return sql.transaction(async () => {
      const documentIds = [...new Set(batch.map((update) => update.documentId))].sort()
      // In a fixed order, so two instances' batches cannot deadlock.
      for (const documentId of documentIds) await sql.lock(documentLock(documentId))
      const insertUpdate = sql.prepare('INSERT INTO document_updates (document_id, data, user_id, created_at) VALUES (?, ?, ?, ?) RETURNING id')
      const changes: (string | number | null)[][] = []
      for (const { documentId, data, userId, receivedAt, changes: ranges } of batch) {
        const { id } = (await insertUpdate.get(documentId, data, userId, receivedAt)) as { id: number }
        for (const change of ranges) changes.push([documentId, id, userId, change.kind, change.client, change.clock, change.length, receivedAt])
      }
      if (changes.length > 0) {
        const column = (index: number) => changes.map((row) => row[index]!)
        const userIds = changes.map((row) => row[2] ?? null)
        await sql
          .prepare(
            `INSERT INTO document_changes (document_id, update_id, user_id, kind, client_id, clock, length, created_at)
             SELECT * FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])`,
          )
          .run(column(0), column(1), userIds, column(3), column(4), column(5), column(6), column(7))
        // The first person to write under a client id owns it (see collab/updatePolicy.ts).
        const claims = changes.filter((row) => row[3] === 'insert' && row[2] !== null)
        if (claims.length > 0) {
          await sql
            .prepare(
              `INSERT INTO document_clients (document_id, client_id, user_id, claimed_at)
               SELECT DISTINCT ON (d, c) d, c, u, t FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[]) WITH ORDINALITY AS x(d, c, u, t, n)
               ORDER BY d, c, n
               ON CONFLICT (document_id, client_id) DO NOTHING`,
            )
            .run(
              claims.map((row) => row[0]),
              claims.map((row) => row[4]),
              claims.map((row) => row[2]),
              claims.map((row) => row[7]),
            )
        }
      }
      await sql.prepare('UPDATE documents SET updated_at = ? WHERE id = ANY(?::text[])').run(Date.now(), documentIds)
    })
  }
}
