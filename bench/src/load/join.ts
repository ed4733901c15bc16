/**
 * Joining a large document (scenario 3): a client connects, sends sync step 1, and waits for
 * the server's sync step 2. Timed from the moment the socket is created and from the moment
 * step 1 is sent; the reply is checked, never trusted: its size against the document's, and
 * (for the checked joiner) its words after applying it to a fresh Y.Doc.
 */
import * as Y from 'yjs'
import { EMPTY_STATE_VECTOR, EMPTY_UPDATE } from '../protocol.js'
import { countWords } from './history.js'
import { SyncSocket, type Endpoint, type SocketOwner } from './socket.js'

export interface Expected {
  stateBytes: number
  words: number
}

export interface JoinResult {
  /** Socket created → sync step 2 received. */
  joinMs: number
  /** Sync step 1 sent → sync step 2 received. */
  syncReplyMs: number
  replyBytes: number
  /** Words in the reply, when it was checked. */
  words: number | null
  complete: boolean
}

class Joiner implements SocketOwner {
  readonly socket: SyncSocket
  reply: Uint8Array | null = null

  constructor(endpoint: Endpoint, timeoutMs: number) {
    this.socket = new SyncSocket(endpoint, this, null, timeoutMs)
  }

  stateVector(): Uint8Array {
    return EMPTY_STATE_VECTOR
  }

  diff(): Uint8Array {
    return EMPTY_UPDATE
  }

  onSynced(update: Uint8Array): void {
    this.reply = update
  }
}

/** A complete reply is at least nine tenths of the document's own encoding (encodings differ a little). */
const isComplete = (bytes: number, expected: Expected) => bytes >= expected.stateBytes * 0.9

function result(joiner: Joiner, expected: Expected, check: boolean): JoinResult {
  const { times } = joiner.socket
  let words: number | null = null
  if (check && joiner.reply) {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, joiner.reply)
    words = countWords(doc.getXmlFragment('default'))
    doc.destroy()
  }
  const complete = isComplete(joiner.socket.syncReplyBytes, expected) && (words === null || words === expected.words)
  return {
    joinMs: times.synced - times.created,
    syncReplyMs: times.synced - times.step1Sent,
    replyBytes: joiner.socket.syncReplyBytes,
    words,
    complete,
  }
}

export async function join(endpoint: Endpoint, expected: Expected, check: boolean): Promise<JoinResult> {
  const joiner = new Joiner(endpoint, 30_000)
  try {
    await joiner.socket.ready
    return result(joiner, expected, check)
  } finally {
    joiner.socket.close()
  }
}

export interface StormResult {
  joiners: number
  /** First socket created → the last joiner's sync step 2. */
  lastSyncedMs: number
  syncReply: { p50: number; max: number }
  allComplete: boolean
  smallestReplyBytes: number
}

export async function storm(endpoints: Endpoint[], expected: Expected): Promise<StormResult> {
  const start = performance.now()
  const joiners = endpoints.map((endpoint) => new Joiner(endpoint, 30_000))
  try {
    await Promise.all(joiners.map((joiner) => joiner.socket.ready))
    const results = joiners.map((joiner, index) => result(joiner, expected, index === joiners.length - 1))
    const replies = results.map((entry) => entry.syncReplyMs).sort((a, b) => a - b)
    return {
      joiners: joiners.length,
      lastSyncedMs: Math.max(...joiners.map((joiner) => joiner.socket.times.synced)) - start,
      syncReply: { p50: replies[Math.floor(replies.length / 2)]!, max: replies[replies.length - 1]! },
      allComplete: results.every((entry) => entry.complete),
      smallestReplyBytes: Math.min(...results.map((entry) => entry.replyBytes)),
    }
  } finally {
    for (const joiner of joiners) joiner.socket.close()
  }
}
