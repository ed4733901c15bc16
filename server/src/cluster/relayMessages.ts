import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/**
 * What instances tell each other through Redis, as compact binary (lib0 encoding): the first
 * field is the kind, the second the sending instance's id (an instance ignores its own).
 */
export type RelayMessage =
  /** Updates the sender received from its people and has stored, in commit order. */
  | { kind: 'updates'; from: string; updates: { userId: number | null; data: Uint8Array }[] }
  /** Carets and names of the sender's own connections (a y-protocols awareness update). */
  | { kind: 'awareness'; from: string; update: Uint8Array }
  /** The sender just opened the document: everyone else, send your carets. */
  | { kind: 'awarenessQuery'; from: string }
  /** A comment thread of the document changed: feed your event streams from the database. */
  | { kind: 'threadsChanged'; from: string; documentId: string }
  /** Someone's access changed (role, membership, account): re-check the matching sockets and streams. */
  | { kind: 'accessChanged'; from: string; documentId: string | null; userId: number | null }
  /** The sender may have missed publishing something (Redis was away): everyone, catch up from the database. */
  | { kind: 'catchUp'; from: string }

const KINDS = ['updates', 'awareness', 'awarenessQuery', 'threadsChanged', 'catchUp', 'accessChanged'] as const

export function encodeRelayMessage(message: RelayMessage): Buffer {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, KINDS.indexOf(message.kind))
  encoding.writeVarString(encoder, message.from)
  switch (message.kind) {
    case 'updates':
      encoding.writeVarUint(encoder, message.updates.length)
      for (const update of message.updates) {
        // 0 stands for the server's own edits (no person).
        encoding.writeVarUint(encoder, update.userId ?? 0)
        encoding.writeVarUint8Array(encoder, update.data)
      }
      break
    case 'awareness':
      encoding.writeVarUint8Array(encoder, message.update)
      break
    case 'threadsChanged':
      encoding.writeVarString(encoder, message.documentId)
      break
    case 'accessChanged':
      encoding.writeVarString(encoder, message.documentId ?? '')
      encoding.writeVarUint(encoder, message.userId ?? 0)
      break
    case 'awarenessQuery':
    case 'catchUp':
      break
  }
  return Buffer.from(encoding.toUint8Array(encoder))
}

/** Reads a message; null when it is not one of ours (another program on the channel, or damage). */
export function decodeRelayMessage(bytes: Uint8Array): RelayMessage | null {
  try {
    const decoder = decoding.createDecoder(bytes)
    const kind = KINDS[decoding.readVarUint(decoder)]
    const from = decoding.readVarString(decoder)
    let message: RelayMessage
    switch (kind) {
      case 'updates': {
        const count = decoding.readVarUint(decoder)
        const updates: { userId: number | null; data: Uint8Array }[] = []
        for (let index = 0; index < count; index++) {
          const userId = decoding.readVarUint(decoder)
          updates.push({ userId: userId === 0 ? null : userId, data: decoding.readVarUint8Array(decoder) })
        }
        message = { kind, from, updates }
        break
      }
      case 'awareness':
        message = { kind, from, update: decoding.readVarUint8Array(decoder) }
        break
      case 'threadsChanged':
        message = { kind, from, documentId: decoding.readVarString(decoder) }
        break
      case 'accessChanged': {
        const documentId = decoding.readVarString(decoder)
        const userId = decoding.readVarUint(decoder)
        message = { kind, from, documentId: documentId === '' ? null : documentId, userId: userId === 0 ? null : userId }
        break
      }
      case 'awarenessQuery':
      case 'catchUp':
        message = { kind, from }
        break
      default:
        return null
    }
    return decoding.hasContent(decoder) ? null : message
  } catch {
    return null
  }
}
