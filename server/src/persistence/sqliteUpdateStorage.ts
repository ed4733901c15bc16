import type { Worker } from 'node:worker_threads'
import { startWorker } from '../workers/startWorker.js'
import type { Db } from './database.js'
import type { SqliteSql } from './sql.js'
import { loadStoredState, updatesAfter, type Compaction, type StoredSince, type StoredState } from './storedState.js'
import type { UpdateLogStorage } from './updateLog.js'
import type { WriteReply, WriteRequest, WriteTask } from './updateWrites.js'

/** The writer thread's name, as `top -H` and /proc show it (the benchmark reads its CPU by it). */
const STORAGE_THREAD_NAME = 'accord-storage'

/**
 * The update log in SQLite: writes go to a worker thread with its own connection
 * (`updateLog.worker.ts`), one transaction per request, in order; reads stay on the main
 * connection (WAL lets them run beside the writer).
 */
export class SqliteUpdateStorage implements UpdateLogStorage {
  private writer: Worker
  private nextRequestId = 1
  private readonly replies = new Map<number, (reply: WriteReply) => void>()
  private closing = false
  /** `reads` is the main connection's Sql (shared, so its transactions keep other reads out). */
  constructor(
    private readonly db: Db,
    private readonly reads: SqliteSql,
  ) {
    this.writer = this.startWriter()
  }

  write(task: WriteTask): Promise<Compaction | undefined> {
    return new Promise((resolve, reject) => {
      const id = this.nextRequestId++
      this.replies.set(id, (reply) => (reply.ok ? resolve(reply.compaction) : reject(new Error(reply.message))))
      this.writer.postMessage({ ...task, id } satisfies WriteRequest)
    })
  }

  load(documentId: string): Promise<StoredState> {
    return loadStoredState(this.reads, documentId)
  }

  updatesAfter(documentId: string, afterId: number): Promise<StoredSince> {
    return updatesAfter(this.reads, documentId, afterId)
  }

  async close(): Promise<void> {
    this.closing = true
    await this.writer.terminate()
  }

  private startWriter(): Worker {
    const writer = startWorker(STORAGE_THREAD_NAME, new URL('./updateLog.worker.ts', import.meta.url), { file: this.db.name })
    writer.on('message', (reply: WriteReply) => {
      const onReply = this.replies.get(reply.id)
      this.replies.delete(reply.id)
      onReply?.(reply)
    })
    writer.on('error', (error) => this.replaceWriter(writer, error))
    writer.on('exit', (code) => this.replaceWriter(writer, new Error(`the storage writer stopped (exit code ${code})`)))
    return writer
  }

  /** A writer that died took its unanswered requests with it: they fail (and are retried) on a new one. */
  private replaceWriter(writer: Worker, error: Error): void {
    if (this.closing || this.writer !== writer) return
    this.writer = this.startWriter()
    const unanswered = [...this.replies]
    this.replies.clear()
    for (const [id, onReply] of unanswered) onReply({ id, ok: false, message: error.message })
  }
}
