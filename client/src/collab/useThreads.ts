import type { CommentThread } from '@accord/shared'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { inboxMayHaveChanged } from '../components/InboxButton'

export type ThreadsConnection = 'connecting' | 'live' | 'reconnecting' | 'closed'

export interface LiveThreads {
  /** null until the stream's first message. */
  threads: CommentThread[] | null
  connection: ThreadsConnection
  /** Puts a thread the API just answered with in place (the stream brings the same soon after). */
  receive(thread: CommentThread): void
}

/** A newer state of a thread replaces an older one; the stream and API answers may cross. */
function merge(current: CommentThread[] | null, incoming: CommentThread): CommentThread[] {
  const list = current ?? []
  const index = list.findIndex((thread) => thread.id === incoming.id)
  if (index < 0) return [...list, incoming]
  if (list[index]!.updatedAt > incoming.updatedAt) return list
  return list.map((thread, at) => (at === index ? incoming : thread))
}

/**
 * A document's comment threads, kept live by its event stream. EventSource reconnects by
 * itself and sends Last-Event-ID, and the server answers with every thread changed since.
 */
export function useThreads(documentId: string): LiveThreads {
  const [threads, setThreads] = useState<CommentThread[] | null>(null)
  const [connection, setConnection] = useState<ThreadsConnection>('connecting')

  useEffect(() => {
    setThreads(null)
    setConnection('connecting')
    const source = new EventSource(`/api/documents/${documentId}/events`)
    source.addEventListener('open', () => setConnection('live'))
    source.addEventListener('error', () => setConnection(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting'))
    source.addEventListener('threads', (event) => setThreads(JSON.parse((event as MessageEvent<string>).data) as CommentThread[]))
    source.addEventListener('thread', (event) => {
      const thread = JSON.parse((event as MessageEvent<string>).data) as CommentThread
      setThreads((current) => merge(current, thread))
      inboxMayHaveChanged()
    })
    return () => source.close()
  }, [documentId])

  const receive = useCallback((thread: CommentThread) => setThreads((current) => merge(current, thread)), [])
  // The same object while nothing changed, so the editor (memoized) does not redraw for nothing.
  return useMemo(() => ({ threads, connection, receive }), [threads, connection, receive])
}
