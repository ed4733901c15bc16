import type { PostgresSql } from './sql.js'
import { compactDocument, documentLock, loadStoredState, updatesAfter, type Compaction, type StoredSince, type StoredState } from './storedState.js'
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

  updatesAfter(documentId: string, afterId: number): Promise<StoredSince> {
    return updatesAfter(this.sql, documentId, afterId)
  }

  /** The pool belongs to the Storage, which closes it. */
  async close(): Promise<void> {}

  /**
   * Every update of a batch, its attribution and client claims, in one transaction of a fixed
   * number of round trips however large the batch: ids are drawn from the sequence first (in
   * order, under the documents' locks), then every table gets one multi-row insert.
   */
  private writeUpdates(batch: ReceivedUpdate[]): Promise<void> {
    const sql = this.sql
    return sql.transaction(async () => {
      const documentIds = [...new Set(batch.map((update) => update.documentId))].sort()
      // In one fixed order, so two instances' batches cannot deadlock.
      await sql
        .prepare('SELECT pg_advisory_xact_lock(hashtextextended(lock, 0)) FROM unnest(?::text[]) AS lock ORDER BY lock')
        .all(documentIds.map(documentLock))
      const drawn = (await sql
        .prepare("SELECT nextval(pg_get_serial_sequence('document_updates', 'id')) AS id FROM generate_series(1, ?)")
        .all(batch.length)) as { id: number }[]
      const ids = drawn.map((row) => row.id).sort((a, b) => a - b)
      await sql
        .prepare(
          `INSERT INTO document_updates (id, document_id, data, user_id, created_at)
           SELECT * FROM unnest(?::bigint[], ?::text[], ?::bytea[], ?::bigint[], ?::bigint[])`,
        )
        .run(
          ids,
          batch.map((update) => update.documentId),
          batch.map((update) => Buffer.from(update.data)),
          batch.map((update) => update.userId),
          batch.map((update) => update.receivedAt),
        )
      const changes = batch.flatMap((update, index) =>
        update.changes.map((change) => ({ update, id: ids[index]!, change })),
      )
      if (changes.length > 0) {
        await sql
          .prepare(
            `INSERT INTO document_changes (document_id, update_id, user_id, kind, client_id, clock, length, created_at)
             SELECT * FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])`,
          )
          .run(
            changes.map(({ update }) => update.documentId),
            changes.map(({ id }) => id),
            changes.map(({ update }) => update.userId),
            changes.map(({ change }) => change.kind),
            changes.map(({ change }) => change.client),
            changes.map(({ change }) => change.clock),
            changes.map(({ change }) => change.length),
            changes.map(({ update }) => update.receivedAt),
          )
      }
      // The first person to write under a client id owns it (see collab/updatePolicy.ts).
      const claims = changes.filter(({ update, change }) => change.kind === 'insert' && update.userId !== null)
      if (claims.length > 0) {
        await sql
          .prepare(
            `INSERT INTO document_clients (document_id, client_id, user_id, claimed_at)
             SELECT DISTINCT ON (d, c) d, c, u, t
             FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[]) WITH ORDINALITY AS claim(d, c, u, t, n)
             ORDER BY d, c, n
             ON CONFLICT (document_id, client_id) DO NOTHING`,
          )
          .run(
            claims.map(({ update }) => update.documentId),
            claims.map(({ change }) => change.client),
            claims.map(({ update }) => update.userId),
            claims.map(({ update }) => update.receivedAt),
          )
      }
      await sql.prepare('UPDATE documents SET updated_at = ? WHERE id = ANY(?::text[])').run(Date.now(), documentIds)
    })
  }
}
