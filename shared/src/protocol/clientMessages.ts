import * as decoding from 'lib0/decoding'
import type { CollabSession } from '../api/responses.js'
import { MessageType, type RefusedWrite } from './messages.js'

/** The part of y-websocket's WebsocketProvider that dispatches incoming message types. */
interface ProviderWithHandlers {
  messageHandlers: Array<(encoder: any, decoder: decoding.Decoder, ...rest: any[]) => void>
}

export interface AccordMessageListeners {
  /** The server stored everything covered by this state vector. */
  onSaved(storedStateVector: Uint8Array): void
  /** The server admitted this connection with these rights. */
  onSession(session: CollabSession): void
  /** The server dropped one of this client's writes. */
  onRefused?(refusal: RefusedWrite): void
  /** The server could not store changes; "Saved" must not show until the next onSaved. */
  onSaveFailed?(message: string): void
}

/** Teaches a y-websocket provider Accord's own message types (100 and up). */
export function listenForAccordMessages(provider: ProviderWithHandlers, listeners: AccordMessageListeners): void {
  provider.messageHandlers[MessageType.Saved] = (_encoder, decoder) => {
    listeners.onSaved(decoding.readVarUint8Array(decoder))
  }
  provider.messageHandlers[MessageType.Session] = (_encoder, decoder) => {
    listeners.onSession(JSON.parse(decoding.readVarString(decoder)) as CollabSession)
  }
  provider.messageHandlers[MessageType.Refused] = (_encoder, decoder) => {
    listeners.onRefused?.(JSON.parse(decoding.readVarString(decoder)) as RefusedWrite)
  }
  provider.messageHandlers[MessageType.SaveFailed] = (_encoder, decoder) => {
    listeners.onSaveFailed?.((JSON.parse(decoding.readVarString(decoder)) as { message: string }).message)
  }
}

/** True when the stored state holds every change this client made (its own client id's clock). */
export function storedCovers(storedStateVector: Map<number, number>, localClientId: number, localClock: number): boolean {
  return (storedStateVector.get(localClientId) ?? 0) >= localClock
}
