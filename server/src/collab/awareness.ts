import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/** The identity shown on a person's caret, set by the server from their session. */
export interface AwarenessIdentity {
  username: string
  name: string
  affiliation: string
  color: string
}

export interface AwarenessEntry {
  clientId: number
  clock: number
  /** null means the client left. */
  state: Record<string, unknown> | null
}

/** One person's cursor and name need a few hundred bytes; anything far larger is not a cursor. */
export const MAX_AWARENESS_STATE_BYTES = 16 * 1024

/** Reads an awareness update (y-protocols encoding). Throws on malformed input. */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  const entries: AwarenessEntry[] = []
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const json = decoding.readVarString(decoder)
    if (json.length > MAX_AWARENESS_STATE_BYTES) throw new Error('awareness state too large')
    const state: unknown = JSON.parse(json)
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
      throw new Error('awareness state must be an object or null')
    }
    entries.push({ clientId, clock, state: state as Record<string, unknown> | null })
  }
  return entries
}

export function encodeAwarenessUpdate(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarString(encoder, JSON.stringify(entry.state))
  }
  return encoding.toUint8Array(encoder)
}

/** Whatever name or colour a client claims, the server overwrites it with the session's. */
export function stampIdentity(entries: readonly AwarenessEntry[], identity: AwarenessIdentity): AwarenessEntry[] {
  return entries.map((entry) => (entry.state === null ? entry : { ...entry, state: { ...entry.state, user: identity } }))
}
