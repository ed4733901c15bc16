/**
 * A framed message, ready for the socket: one buffer, or a small head and a large body that are
 * written together (one `writev`) without being copied into one buffer. A long agreement's
 * first sync is 1.2 MB, and copying it into a frame of its own costs as much as sending it.
 */
export type Frame = Buffer | { readonly head: Buffer; readonly body: Buffer }

/**
 * A server-to-client WebSocket binary frame (RFC 6455 §5.2: FIN, opcode 2, unmasked). A
 * broadcast is framed once and the same bytes are written to every socket, instead of `ws`
 * framing it again for each of a meeting's 200 readers.
 */
export function binaryFrame(payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(headerLength(payload.byteLength) + payload.byteLength)
  frame.set(payload, writeHeader(frame, payload.byteLength))
  return frame
}

/** The frame of the message `head` + `body`, with `body`'s bytes left where they are. */
export function binaryFrameAround(head: Uint8Array, body: Uint8Array): Frame {
  const length = head.byteLength + body.byteLength
  const start = Buffer.allocUnsafe(headerLength(length) + head.byteLength)
  start.set(head, writeHeader(start, length))
  return { head: start, body: Buffer.from(body.buffer, body.byteOffset, body.byteLength) }
}

export function frameBytes(frame: Frame): number {
  return 'head' in frame ? frame.head.byteLength + frame.body.byteLength : frame.byteLength
}

const headerLength = (length: number) => (length < 126 ? 2 : length < 65_536 ? 4 : 10)

/** Writes the frame header for a payload of `length` bytes at the start of `frame`; returns its size. */
function writeHeader(frame: Buffer, length: number): number {
  frame[0] = 0x82
  if (length < 126) {
    frame[1] = length
  } else if (length < 65_536) {
    frame[1] = 126
    frame.writeUInt16BE(length, 2)
  } else {
    frame[1] = 127
    frame.writeBigUInt64BE(BigInt(length), 2)
  }
  return headerLength(length)
}
