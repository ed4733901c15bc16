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
 * The head of the answer to a client's step 1; `update`, everything the client lacks, follows
 * it (`binaryFrameAround`: often a whole document, so it is not copied into the message).
 */
export const syncStep2Head = (update: Uint8Array) =>
  message((encoder) => {
    encoding.writeVarUint(encoder, MessageType.Sync)
    encoding.writeVarUint(encoder, SyncStep.Step2)
    encoding.writeVarUint(encoder, update.byteLength)
  })

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
