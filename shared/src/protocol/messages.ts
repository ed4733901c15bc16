import * as encoding from 'lib0/encoding'

/**
 * The collaboration socket speaks the y-websocket protocol (message types 0-3) plus a few
 * messages of our own, numbered from 100 so they never collide with y-websocket (0-3) or
 * Hocuspocus (4-8).
 */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  /** Server → client: the Yjs state vector of what is durably stored. */
  Saved: 100,
  /** Server → client: JSON `RefusedWrite`. A write was dropped; the client should resync. */
  Refused: 101,
  /** Server → client: JSON describing this connection (the role the server admitted it with). */
  Session: 102,
  /** Server → client: JSON `{ message }`. Storing failed; nothing is acknowledged until a later Saved. */
  SaveFailed: 103,
} as const

/** The kinds of y-protocols sync message (the byte after MessageType.Sync). */
export const SyncStep = { Step1: 0, Step2: 1, Update: 2 } as const

/** A Yjs update as the socket carries it (a sync message of kind Update), from client or server. */
export function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  encoding.writeVarUint(encoder, SyncStep.Update)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** A y-protocols awareness update as the socket carries it (message type 1), from client or server. */
export function awarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Awareness)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/**
 * The largest single update the server accepts. Larger writes are refused (message 101) and
 * the editor refuses pastes that would produce one.
 */
export const MAX_UPDATE_BYTES = 2 * 1024 * 1024

/**
 * The largest frame the socket accepts (larger ones close it with 1009). The catch-up a client
 * sends after working offline (sync step 2) may use all of it.
 */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024

export const REFUSAL_CODES = [
  'read_only',
  'invalid_update',
  'not_allowed_content',
  'too_large',
  'foreign_client_id',
  'missing_dependencies',
] as const
export type RefusalCode = (typeof REFUSAL_CODES)[number]

export interface RefusedWrite {
  code: RefusalCode
  message: string
}

/**
 * Close codes. The y-websocket provider stops reconnecting after 4400-4499 (see
 * `defaultShouldReconnect` in y-websocket 3.1), so codes meaning "reconnecting cannot help"
 * live there, and codes meaning "come back and be checked again" live outside it.
 */
export const CloseCode = {
  /** Membership or role changed: reconnect, and the server admits you under the new role. */
  AccessChanged: 4000,
  /**
   * This socket stopped reading: what the server had to send it outgrew its outbox (a phone on
   * a dead network, or a client that asks and never reads). Reconnect when you can read.
   */
  SlowConsumer: 4001,
  /** The server is restarting. */
  GoingAway: 1001,
  /** The document's stored state cannot be read right now; try again later (the provider reconnects). */
  Unavailable: 4500,
  BadRequest: 4400,
  Unauthorized: 4401,
  Forbidden: 4403,
  NotFound: 4404,
  MessageTooLarge: 4413,
  /** More messages (or bytes, or refused writes) per second than any editor sends. */
  RateLimited: 4429,
  /** Too many open sockets for this person, or from this network address. */
  TooManyConnections: 4430,
} as const
export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode]

/** What the client may say to a person about a close code it was given. */
export function describeClose(code: number): string {
  switch (code) {
    case CloseCode.Unauthorized:
      return 'Your session has ended. Sign in again to keep working.'
    case CloseCode.NotFound:
      return 'This document does not exist, or you are no longer a member of it.'
    case CloseCode.Forbidden:
      return 'The server refused this connection.'
    case CloseCode.BadRequest:
      return 'The server could not understand this connection. Reload the page.'
    case CloseCode.Unavailable:
      return 'This document cannot be opened right now. The server keeps trying; nothing has been lost.'
    case CloseCode.MessageTooLarge:
      return 'A change was too large for the server to accept. Reload the page.'
    case CloseCode.RateLimited:
      return 'This page sent the server more than any editor does, so the connection was closed. Reload the page.'
    case CloseCode.TooManyConnections:
      return 'Too many documents are open for your account or your network. Close other tabs, then reload this page.'
    case CloseCode.SlowConsumer:
      return 'The connection was too slow to keep up. Reconnecting…'
    default:
      return 'The connection closed.'
  }
}
