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

/**
 * Awareness client ids one socket may speak for. A browser tab has one (it keeps it across
 * reconnects); a client claiming hundreds would make every screen draw hundreds of carets.
 */
export const MAX_AWARENESS_CLIENTS_PER_SOCKET = 4
/** Entries in one awareness message: a client also reports every caret that timed out on its screen. */
const MAX_AWARENESS_ENTRIES = 1000

/** A caret state far larger than a caret: the socket is closed with MessageTooLarge. */
export class AwarenessTooLarge extends Error {}

/**
 * Reads an awareness update (y-protocols encoding). Throws on malformed input, and on a state
 * over `maxStateBytes`: one person's cursor and name need a few hundred bytes.
 */
export function decodeAwarenessUpdate(update: Uint8Array, maxStateBytes: number): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  if (count > MAX_AWARENESS_ENTRIES) throw new Error('too many awareness entries')
  const entries: AwarenessEntry[] = []
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const json = decoding.readVarString(decoder)
    if (json.length > maxStateBytes) throw new AwarenessTooLarge(`awareness state over ${maxStateBytes} bytes`)
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
