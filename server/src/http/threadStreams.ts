import { can } from '@accord/shared'
import type { Response } from 'express'
import type { Sessions } from '../auth/sessions.js'
import { SocketQuota } from '../collab/socketQuota.js'
import { AppError } from '../errors.js'
import type { DocumentStore } from '../persistence/documents.js'
import type { ThreadChange, ThreadStore } from '../persistence/threads.js'

const HEARTBEAT_MS = 20_000
/** How long EventSource waits before reconnecting after the stream drops. */
const RETRY_MS = 2000

interface Stream {
  documentId: string
  userId: number
  sessionToken: string
  response: Response
}

interface OpenStream extends Stream {
  /** What is being sent to it: events go out one after another, in order, each after its access check. */
  sending: Promise<void>
}

/**
 * The documents' comment event streams (Server-Sent Events). Each event carries a thread's new
 * state under its id in the `thread_events` log, so a reconnecting EventSource (which sends
 * Last-Event-ID) is sent every thread that changed while it was away. A stream closes as soon as
 * its person may no longer read the document; access is re-checked before every event.
 */
export class ThreadStreams {
  private readonly streams = new Set<OpenStream>()
  private readonly heartbeat: NodeJS.Timeout
  private readonly perPerson: SocketQuota

  constructor(
    private readonly sessions: Sessions,
    private readonly documents: DocumentStore,
    private readonly threads: ThreadStore,
    /** Open streams one person may hold, like their sockets (docs/LIMITS.md). */
    maxPerPerson: number,
  ) {
    this.perPerson = new SocketQuota(maxPerPerson)
    this.heartbeat = setInterval(() => {
      for (const stream of this.streams) this.enqueue(stream, () => stream.response.write(': still here\n\n'))
    }, HEARTBEAT_MS)
    this.heartbeat.unref()
  }

  /**
   * Starts a stream. Without `lastEventId` it opens with every thread (`event: threads`); with one,
   * with each thread changed since (`event: thread`).
   */
  open(opened: Stream, lastEventId: number | null): void {
    const { response, documentId } = opened
    const person = String(opened.userId)
    if (!this.perPerson.tryAcquire(person)) {
      throw new AppError(429, 'too_many_streams', 'Too many documents are open for your account. Close other tabs, then reload this page.')
    }
    response.on('close', () => this.perPerson.release(person))
    response.status(200)
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8')
    response.setHeader('Cache-Control', 'no-cache, no-transform')
    response.setHeader('X-Accel-Buffering', 'no')
    response.flushHeaders()
    response.write(`retry: ${RETRY_MS}\n\n`)
    // In the set before the first read, so a change made meanwhile is sent after it (perhaps twice: harmless).
    const stream: OpenStream = { ...opened, sending: Promise.resolve() }
    stream.sending = (async () => {
      if (lastEventId === null) {
        const id = await this.threads.lastEventId(documentId)
        response.write(`id: ${id}\nevent: threads\ndata: ${JSON.stringify(await this.threads.list(documentId))}\n\n`)
      } else {
        for (const change of await this.threads.changesSince(documentId, lastEventId)) this.send(stream, change)
      }
    })().catch(() => this.end(stream))
    this.streams.add(stream)
    response.on('close', () => this.streams.delete(stream))
  }

  publish(documentId: string, change: ThreadChange): void {
    for (const stream of this.streams) {
      if (stream.documentId === documentId) this.enqueue(stream, () => this.send(stream, change))
    }
  }

  /** Closes the matching streams whose person may no longer read their document. */
  recheckAccess(filter: { documentId?: string; userId?: number }): void {
    for (const stream of this.streams) {
      if (filter.documentId !== undefined && stream.documentId !== filter.documentId) continue
      if (filter.userId !== undefined && stream.userId !== filter.userId) continue
      this.enqueue(stream, () => {})
    }
  }

  closeAll(): void {
    clearInterval(this.heartbeat)
    for (const stream of this.streams) stream.response.end()
    this.streams.clear()
  }

  private send(stream: Stream, change: ThreadChange): void {
    stream.response.write(`id: ${change.eventId}\nevent: thread\ndata: ${JSON.stringify(change.thread)}\n\n`)
  }

  /** Runs `write` after what is already being sent, if the stream's person may still read its document; ends the stream when not. */
  private enqueue(stream: OpenStream, write: () => void): void {
    stream.sending = stream.sending.then(async () => {
      if (!this.streams.has(stream)) return
      try {
        if (await this.mayRead(stream)) write()
        else this.end(stream)
      } catch {
        this.end(stream)
      }
    })
  }

  private async mayRead(stream: Stream): Promise<boolean> {
    const user = await this.sessions.resolve(stream.sessionToken)
    const membership = user && (await this.documents.membership(stream.documentId, user.id))
    return Boolean(user && user.id === stream.userId && membership && can(membership.role, 'read', membership.status))
  }

  private end(stream: OpenStream): void {
    this.streams.delete(stream)
    stream.response.end()
  }
}
