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
  /** The newest event this stream was sent. */
  lastEventId: number
}

/** The other instances of the deployment (cluster/), told when a thread changed here. */
export interface ThreadRelay {
  changed(documentId: string): void
}

/**
 * The documents' comment event streams (Server-Sent Events). Each event carries a thread's new
 * state under its id in the `thread_events` log, so a reconnecting EventSource (which sends
 * Last-Event-ID) is sent every thread that changed while it was away. A stream closes as soon as
 * its person may no longer read the document; access is re-checked before every event.
 */
export class ThreadStreams {
  private readonly streams = new Set<OpenStream>()
  private relay: ThreadRelay | null = null
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
      for (const stream of this.streams) this.enqueue(stream, () => void stream.response.write(': still here\n\n'))
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
    const stream: OpenStream = { ...opened, sending: Promise.resolve(), lastEventId: lastEventId ?? 0 }
    stream.sending = (async () => {
      if (lastEventId === null) {
        const id = await this.threads.lastEventId(documentId)
        stream.lastEventId = Math.max(stream.lastEventId, id)
        response.write(`id: ${id}\nevent: threads\ndata: ${JSON.stringify(await this.threads.list(documentId))}\n\n`)
      } else {
        for (const change of await this.threads.changesSince(documentId, lastEventId)) this.send(stream, change)
      }
    })().catch(() => this.end(stream))
    this.streams.add(stream)
    response.on('close', () => this.streams.delete(stream))
  }

  /** With several instances, streams are fed from the database in event order (`catchUp`), and the others told. */
  relayTo(relay: ThreadRelay): void {
    this.relay = relay
  }

  publish(documentId: string, change: ThreadChange): void {
    if (this.relay) {
      this.catchUp(documentId)
      this.relay.changed(documentId)
      return
    }
    for (const stream of this.streams) {
      if (stream.documentId === documentId) this.enqueue(stream, () => this.send(stream, change))
    }
  }

  /**
   * Sends each stream of the document (or of every document) the threads changed after the
   * last event it was sent, as the database holds them: in event id order, whichever instance
   * stored them, so a reconnecting EventSource's Last-Event-ID never skips one.
   */
  catchUp(documentId?: string): void {
    for (const stream of this.streams) {
      if (documentId !== undefined && stream.documentId !== documentId) continue
      this.enqueue(stream, async () => {
        for (const change of await this.threads.changesSince(stream.documentId, stream.lastEventId)) {
          if (change.eventId > stream.lastEventId) this.send(stream, change)
        }
      })
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

  private send(stream: OpenStream, change: ThreadChange): void {
    stream.lastEventId = Math.max(stream.lastEventId, change.eventId)
    stream.response.write(`id: ${change.eventId}\nevent: thread\ndata: ${JSON.stringify(change.thread)}\n\n`)
  }

  /** Runs `write` after what is already being sent, if the stream's person may still read its document; ends the stream when not. */
  private enqueue(stream: OpenStream, write: () => void | Promise<void>): void {
    stream.sending = stream.sending.then(async () => {
      if (!this.streams.has(stream)) return
      try {
        if (await this.mayRead(stream)) await write()
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
