/** What a scenario needs from a server under test, whichever it is. */
import type { Endpoint } from '../load/socket.js'

export type ServerKind = 'accord' | 'reference' | 'hocuspocus' | 'relay'

export const SERVER_KINDS: readonly ServerKind[] = ['accord', 'reference', 'hocuspocus', 'relay']
/** Servers that hold documents: every scenario runs these; the bare relay runs fan-out only. */
export const DOCUMENT_SERVERS: readonly ServerKind[] = ['accord', 'reference', 'hocuspocus']

export const SERVER_LABELS: Record<ServerKind, string> = {
  accord: 'Accord',
  reference: 'y-websocket ref',
  hocuspocus: 'Hocuspocus',
  relay: 'bare relay',
}

/**
 * A client's place in a room. Accord admits it with a session for an account of this role
 * (`owner` is the document's creator; `drafter` and `viewer` accounts are numbered so several
 * clients can be different people); the peers accept anyone.
 */
export interface Seat {
  role: 'owner' | 'drafter' | 'viewer'
  account: number
}

export interface BenchServer {
  readonly kind: ServerKind
  readonly pid: number
  /** Set when started with `inspect`. */
  readonly inspectorUrl: string | null
  /** Creates `count` rooms and returns, per room, one endpoint per seat. */
  rooms(count: number, seats: readonly Seat[], title: string): Promise<Endpoint[][]>
  /** Stops the process and starts it again on the same data (Accord); peers lose everything. */
  restart(): Promise<void>
  stop(): Promise<void>
}
