import * as decoding from 'lib0/decoding'
import type { CollabSession } from '../api/responses.js'
import { MessageType } from './messages.js'

/** The part of y-websocket's WebsocketProvider that dispatches incoming message types. */
interface ProviderWithHandlers {
  messageHandlers: Array<(encoder: any, decoder: decoding.Decoder, ...rest: any[]) => void>
}

export interface AccordMessageListeners {
  /** The server stored everything covered by this state vector. */
  onSaved(storedStateVector: Uint8Array): void
  /** The server admitted this connection with these rights. */
  onSession(session: CollabSession): void
}

/** Teaches a y-websocket provider Accord's own message types (100 and up). */
export function listenForAccordMessages(provider: ProviderWithHandlers, listeners: AccordMessageListeners): void {
  provider.messageHandlers[MessageType.Saved] = (_encoder, decoder) => {
    listeners.onSaved(decoding.readVarUint8Array(decoder))
  }
  provider.messageHandlers[MessageType.Session] = (_encoder, decoder) => {
    listeners.onSession(JSON.parse(decoding.readVarString(decoder)) as CollabSession)
  }
}

/** True when the stored state holds every change this client made (its own client id's clock). */
export function storedCovers(storedStateVector: Map<number, number>, localClientId: number, localClock: number): boolean {
  return (storedStateVector.get(localClientId) ?? 0) >= localClock
}
