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
 * The answer to a client's step 1, as the parts of one message: its header, then `update`,
 * everything the client lacks. Often a whole document (1.2 MB for a long agreement), so it is
 * framed from the parts (`binaryFrame`), copied once, not through an encoder and again into a frame.
 */
export function syncStep2Parts(update: Uint8Array): [header: Uint8Array, update: Uint8Array] {
  const header = message((encoder) => {
    encoding.writeVarUint(encoder, MessageType.Sync)
    encoding.writeVarUint(encoder, SyncStep.Step2)
    encoding.writeVarUint(encoder, update.byteLength)
  })
  return [header, update]
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
