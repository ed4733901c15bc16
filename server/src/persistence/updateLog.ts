import type { Worker } from 'node:worker_threads'
import * as Y from 'yjs'
import { startWorker } from '../workers/startWorker.js'
import type { Db } from './database.js'
import { SharedLogReads, type Compaction, type StoredSince } from './sharedLog.js'
import { snapshotChecksum, type ReceivedUpdate, type UpdateEntry, type WriteReply, type WriteRequest, type WriteTask } from './updateWrites.js'

export type { ChangeRange, UpdateEntry } from './updateWrites.js'
export type { Compaction, StoredSince, StoredUpdate } from './sharedLog.js'

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

export interface UpdateLogEvents {
  /** After a commit: these updates are now on disk. */
  onCommitted(updates: readonly UpdateEntry[]): void
  /** A commit failed; the updates stay queued and are retried. */
  onFailed(documentIds: ReadonlySet<string>, error: unknown): void
}

const RETRY_AFTER_FAILURE_MS = 1000
const SHUTDOWN_DRAIN_MS = 10_000

/**
 * The append-only log of every Yjs update, with who sent it and when. Appends are queued and
 * written in group commits by a worker thread (`updateLog.worker.ts`): while one commit waits
 * for the disk, everything that arrives queues up and goes to disk in the next one, so a whole
 * committee's burst costs one fsync and no socket waits for the disk. Reads stay here (WAL
 * lets them run beside the writer).
 */
export class UpdateLog {
  private queued: ReceivedUpdate[] = []
  private inFlight: ReadonlySet<string> | null = null
  private flushScheduled = false
  private retryTimer: NodeJS.Timeout | null = null
  private writer: Worker
  private nextRequestId = 1
  private readonly replies = new Map<number, (reply: WriteReply) => void>()
  private readonly idle: (() => void)[] = []
  private readonly storedWaiters: { documentId: string; resolve: () => void }[] = []
  private closing = false
  private readonly reads
  private shared: SharedLogReads | null = null

  constructor(
    private readonly db: Db,
    private readonly events: UpdateLogEvents,
  ) {
    this.writer = this.startWriter()
    this.reads = {
      snapshot: db.prepare('SELECT state, state_vector, state_sha256, through_update_id FROM document_snapshots WHERE document_id = ?'),
      updates: db.prepare('SELECT id, data FROM document_updates WHERE document_id = ? AND id > ? ORDER BY id'),
      owners: db.prepare('SELECT client_id, user_id FROM document_clients WHERE document_id = ?'),
    }
  }

  append(entry: UpdateEntry): void {
    this.queued.push({ ...entry, receivedAt: Date.now() })
    this.scheduleFlush()
  }

  /** True while some of this document's updates are not yet known to be on disk. */
  hasPending(documentId: string): boolean {
    return this.inFlight?.has(documentId) === true || this.queued.some((update) => update.documentId === documentId)
  }

  /** What is stored of a document. Throws if its snapshot is damaged (a load must then refuse the document). */
  load(documentId: string): StoredState {
    const snapshot = this.reads.snapshot.get(documentId) as
      | { state: Buffer; state_vector: Buffer | null; state_sha256: Buffer | null; through_update_id: number }
      | undefined
    if (snapshot) checkSnapshot(snapshot.state, snapshot.state_sha256)
    const after = snapshot?.through_update_id ?? 0
    const rows = this.reads.updates.all(documentId, after) as { id: number; data: Buffer }[]
    const owners = this.reads.owners.all(documentId) as { client_id: number; user_id: number }[]
    return {
      snapshot: snapshot ? new Uint8Array(snapshot.state) : null,
      snapshotStateVector: snapshot?.state_vector ? new Uint8Array(snapshot.state_vector) : null,
      updates: rows.map((row) => new Uint8Array(row.data)),
      lastUpdateId: rows.at(-1)?.id ?? after,
      clientOwners: new Map(owners.map((owner) => [owner.client_id, owner.user_id])),
    }
  }

  /**
   * Stores `state`, which must be exactly what is stored of the document (nothing of it
   * pending), so later loads start from it.
   */
  writeSnapshot(documentId: string, state: { update: Uint8Array; stateVector: Uint8Array }): Promise<void> {
    return new Promise((resolve, reject) => {
      this.send({ kind: 'snapshot', documentId, state: state.update, stateVector: state.stateVector }, (reply) =>
        reply.ok ? resolve() : reject(new Error(reply.message)),
      )
    })
  }

  /** What is stored of a document after update `afterId`: how instances sharing the log catch up (cluster/). */
  async updatesAfter(documentId: string, afterId: number): Promise<StoredSince> {
    return (this.shared ??= new SharedLogReads(this.db)).updatesAfter(documentId, afterId)
  }

  /**
   * With several instances: the document's snapshot built from its stored rows, not from this
   * instance's memory (see SharedLogReads.compact). Rejects, writing nothing, when the stored
   * state fails the checks.
   */
  async compact(documentId: string): Promise<Compaction> {
    return (this.shared ??= new SharedLogReads(this.db)).compact(documentId, this.load(documentId))
  }

  /** Resolves once nothing of this document is waiting to be stored. */
  stored(documentId: string): Promise<void> {
    if (!this.hasPending(documentId)) return Promise.resolve()
    return new Promise((resolve) => this.storedWaiters.push({ documentId, resolve }))
  }

  /** Resolves once everything queued or asked for so far is on disk (or after `timeoutMs`, returning false). */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.isIdle()) return Promise.resolve(true)
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs)
      this.idle.push(() => {
        clearTimeout(timer)
        resolve(true)
      })
    })
  }

  async close(): Promise<boolean> {
    const drained = await this.drain(SHUTDOWN_DRAIN_MS)
    this.closing = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    await this.writer.terminate()
    return drained
  }

  private isIdle(): boolean {
    return this.queued.length === 0 && this.replies.size === 0
  }

  private notifyIfIdle(): void {
    for (let index = this.storedWaiters.length - 1; index >= 0; index--) {
      const waiter = this.storedWaiters[index]!
      if (this.hasPending(waiter.documentId)) continue
      this.storedWaiters.splice(index, 1)
      waiter.resolve()
    }
    if (this.isIdle()) for (const notify of this.idle.splice(0)) notify()
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return
    this.flushScheduled = true
    setImmediate(() => this.flush())
  }

  /** Sends everything queued as one commit, unless one is already on its way to the disk. */
  private flush(): void {
    this.flushScheduled = false
    if (this.inFlight || this.retryTimer || this.queued.length === 0) return
    const updates = this.queued
    this.queued = []
    const documentIds = new Set(updates.map((update) => update.documentId))
    this.inFlight = documentIds
    this.send({ kind: 'updates', updates }, (reply) => {
      this.inFlight = null
      if (reply.ok) {
        this.events.onCommitted(updates)
      } else {
        this.queued = updates.concat(this.queued)
        this.retryLater()
        this.events.onFailed(documentIds, new Error(reply.message))
      }
      this.flush()
    })
  }

  private retryLater(): void {
    if (this.retryTimer || this.closing) return
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      this.flush()
    }, RETRY_AFTER_FAILURE_MS)
    this.retryTimer.unref()
  }

  private send(task: WriteTask, onReply: (reply: WriteReply) => void): void {
    const id = this.nextRequestId++
    this.replies.set(id, onReply)
    this.writer.postMessage({ ...task, id } satisfies WriteRequest)
  }

  private startWriter(): Worker {
    const writer = startWorker(new URL('./updateLog.worker.ts', import.meta.url), { file: this.db.name })
    writer.on('message', (reply: WriteReply) => {
      const onReply = this.replies.get(reply.id)
      this.replies.delete(reply.id)
      onReply?.(reply)
      this.notifyIfIdle()
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
    this.notifyIfIdle()
  }
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
