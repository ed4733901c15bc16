/**
 * A server-to-client WebSocket binary frame (RFC 6455 §5.2: FIN, opcode 2, unmasked). A
 * broadcast is framed once and the same bytes are written to every socket, instead of `ws`
 * framing it again for each of a meeting's 200 readers. A payload given in parts is framed as
 * their concatenation, with one copy.
 */
export function binaryFrame(...payload: Uint8Array[]): Buffer {
  let length = 0
  for (const part of payload) length += part.byteLength
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10
  const frame = Buffer.allocUnsafe(headerLength + length)
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
  let offset = headerLength
  for (const part of payload) {
    frame.set(part, offset)
    offset += part.byteLength
  }
  return frame
}
