import { MessageType, SyncStep, type RefusedWrite } from '@accord/shared'
import * as encoding from 'lib0/encoding'

function message(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

export const syncStep1Message = (stateVector: Uint8Array) =>
  message((encoder) => {
    encoding.writeVarUint(encoder, MessageType.Sync)
    encoding.writeVarUint(encoder, SyncStep.Step1)
    encoding.writeVarUint8Array(encoder, stateVector)
  })

/**
 * The answer to a client's step 1: `update` holds everything the client lacks. Often a whole
 * document, so it is copied once, not through a growing encoder.
 */
export function syncStep2Message(update: Uint8Array): Uint8Array {
  const header = message((encoder) => {
    encoding.writeVarUint(encoder, MessageType.Sync)
    encoding.writeVarUint(encoder, SyncStep.Step2)
    encoding.writeVarUint(encoder, update.byteLength)
  })
  const bytes = new Uint8Array(header.byteLength + update.byteLength)
  bytes.set(header)
  bytes.set(update, header.byteLength)
  return bytes
}

export const savedMessage = (storedStateVector: Uint8Array) =>
  message((encoder) => {
    encoding.writeVarUint(encoder, MessageType.Saved)
    encoding.writeVarUint8Array(encoder, storedStateVector)
  })

export const refusedMessage = (refusal: RefusedWrite) =>
  message((encoder) => {
    encoding.writeVarUint(encoder, MessageType.Refused)
    encoding.writeVarString(encoder, JSON.stringify(refusal))
  })

export const saveFailedMessage = (text: string) =>
  message((encoder) => {
    encoding.writeVarUint(encoder, MessageType.SaveFailed)
    encoding.writeVarString(encoder, JSON.stringify({ message: text }))
  })

export const sessionMessage = (session: object) =>
  message((encoder) => {
    encoding.writeVarUint(encoder, MessageType.Session)
    encoding.writeVarString(encoder, JSON.stringify(session))
  })
