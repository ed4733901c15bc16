/**
 * A reading client without a Y.Doc: it syncs (keeping only the size of the server's answer),
 * answers the server's step 1 with "nothing new", shows a name in awareness like an open
 * editor, and notes which writers' keystrokes have arrived.
 */
import { EMPTY_STATE_VECTOR, EMPTY_UPDATE, encodeAwareness } from '../protocol.js'
import { SyncSocket, type Endpoint, type SocketOwner } from './socket.js'
import { Arrivals, type StampBook } from './stamps.js'

export class Reader implements SocketOwner {
  readonly socket: SyncSocket
  readonly arrivals: Arrivals

  constructor(endpoint: Endpoint, book: StampBook, name: string, withAwareness = true) {
    this.arrivals = new Arrivals(book)
    const clientId = Math.floor(Math.random() * 0xffffffff)
    const awareness = withAwareness ? encodeAwareness([{ clientId, clock: 1, state: { user: { name, color: '#6eeb83' } } }]) : null
    this.socket = new SyncSocket(endpoint, this, awareness)
  }

  stateVector(): Uint8Array {
    return EMPTY_STATE_VECTOR
  }

  diff(): Uint8Array {
    return EMPTY_UPDATE
  }

  onUpdate(update: Uint8Array, at: number): void {
    this.arrivals.receive(update, at)
  }

  close(): void {
    this.socket.close()
  }
}
