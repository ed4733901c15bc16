/**
 * Frame codecs for the two wire formats the load generator speaks.
 *
 * - `plain`: the y-websocket protocol (Accord and the reference server). One document per
 *   socket, named by the URL path. A frame is `[varUint type][payload]`.
 * - `hocuspocus`: every frame is prefixed with the document name as a varString, and the
 *   client authenticates each document first: `[name][2 Auth][0 Token][varString token]`,
 *   answered by `[name][2 Auth][2 Authenticated][varString scope]` (or 1 PermissionDenied).
 *   See @hocuspocus/server ClientConnection.handleQueueingMessage and @hocuspocus/common auth.ts.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

export type FrameFormat = 'plain' | 'hocuspocus'

export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  /** Hocuspocus: a sync message that must not trigger another step 1. */
  SyncReply: 4,
  /** Hocuspocus: the server closes one document on the socket. */
  Close: 7,
  /** Hocuspocus: `[varUint 1|0]` after each write: applied or not. */
  SyncStatus: 8,
  /** Accord: the state vector of what is stored on disk. */
  Saved: 100,
  /** Accord: one write was dropped (JSON). */
  Refused: 101,
  /** Accord: the rights this connection was admitted with (JSON), sent first. */
  Session: 102,
  /** Accord: storing failed (JSON). */
  SaveFailed: 103,
} as const

export const SyncStep = { Step1: 0, Step2: 1, Update: 2 } as const

export const AuthType = { Token: 0, PermissionDenied: 1, Authenticated: 2 } as const

/** What an empty Y.Doc sends as its state vector, and as "nothing new" in sync step 2. */
export const EMPTY_STATE_VECTOR = new Uint8Array([0])
export const EMPTY_UPDATE = new Uint8Array([0, 0])

/** Encodes frames for one document in one format. */
export class FrameEncoder {
  constructor(
    readonly format: FrameFormat,
    readonly documentName: string,
  ) {}

  private frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
    const encoder = encoding.createEncoder()
    if (this.format === 'hocuspocus') encoding.writeVarString(encoder, this.documentName)
    write(encoder)
    return encoding.toUint8Array(encoder)
  }

  auth(token: string): Uint8Array {
    return this.frame((encoder) => {
      encoding.writeVarUint(encoder, MessageType.Auth)
      encoding.writeVarUint(encoder, AuthType.Token)
      encoding.writeVarString(encoder, token)
    })
  }

  syncStep1(stateVector: Uint8Array): Uint8Array {
    return this.sync(SyncStep.Step1, stateVector)
  }

  syncStep2(update: Uint8Array): Uint8Array {
    return this.sync(SyncStep.Step2, update)
  }

  update(update: Uint8Array): Uint8Array {
    return this.sync(SyncStep.Update, update)
  }

  awareness(update: Uint8Array): Uint8Array {
    return this.frame((encoder) => {
      encoding.writeVarUint(encoder, MessageType.Awareness)
      encoding.writeVarUint8Array(encoder, update)
    })
  }

  private sync(step: number, payload: Uint8Array): Uint8Array {
    return this.frame((encoder) => {
      encoding.writeVarUint(encoder, MessageType.Sync)
      encoding.writeVarUint(encoder, step)
      encoding.writeVarUint8Array(encoder, payload)
    })
  }
}

/** A received frame with its document prefix (if any) skipped and its type read. */
export interface Frame {
  type: number
  decoder: decoding.Decoder
}

/** Reads the type of a frame; the document name of a Hocuspocus frame is skipped, not decoded. */
export function readFrame(format: FrameFormat, data: Uint8Array): Frame {
  const decoder = decoding.createDecoder(data)
  if (format === 'hocuspocus') {
    const length = decoding.readVarUint(decoder)
    decoder.pos += length
  }
  return { type: decoding.readVarUint(decoder), decoder }
}

export interface AwarenessEntry {
  clientId: number
  clock: number
  state: object | null
}

/** The y-protocols awareness update encoding: count, then (client, clock, JSON) per entry. */
export function encodeAwareness(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarString(encoder, JSON.stringify(entry.state))
  }
  return encoding.toUint8Array(encoder)
}
