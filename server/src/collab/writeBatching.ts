import type { Duplex } from 'node:stream'

interface Outbox {
  frames: Buffer[]
  bytes: number
}

const outboxes = new Map<Duplex, Outbox>()
/** Sockets whose peer has not taken the last write yet; their frames wait here for 'drain'. */
const waitingForDrain = new Set<Duplex>()
let flushScheduled = false

/**
 * Queues a framed message for `socket` until the end of this turn of the event loop, then
 * writes everything queued for it at once: one write, one system call. A keystroke arrives
 * with its caret update, and a busy committee's edits arrive together, so without this every
 * frame to every reader was a write of its own: the largest cost of fan-out (see
 * bench/README.md). The delay is at most one turn of the loop, unless the peer is not reading:
 * then frames wait here, not in the socket, so that they can be counted and dropped (see
 * `unsentBytes`) and a close frame can still reach the peer before them.
 */
export function writeAtEndOfTurn(socket: Duplex, frame: Buffer): void {
  const outbox = outboxes.get(socket)
  if (outbox) {
    outbox.frames.push(frame)
    outbox.bytes += frame.byteLength
    return
  }
  outboxes.set(socket, { frames: [frame], bytes: frame.byteLength })
  scheduleFlush()
}

/** Bytes queued for `socket` that it has not taken: ours, and what the socket itself still holds. */
export function unsentBytes(socket: Duplex): number {
  return socket.writableLength + (outboxes.get(socket)?.bytes ?? 0)
}

/** Writes what is queued for `socket` now, e.g. just before its close frame. */
export function flushNow(socket: Duplex): void {
  const outbox = outboxes.get(socket)
  outboxes.delete(socket)
  if (outbox && !socket.destroyed && !socket.writableEnded) socket.write(concat(outbox.frames))
}

/** Forgets what is queued for a socket that is being closed for not reading. */
export function discardOutbox(socket: Duplex): void {
  outboxes.delete(socket)
}

function scheduleFlush(): void {
  if (flushScheduled) return
  flushScheduled = true
  setImmediate(flushOutboxes)
}

function flushOutboxes(): void {
  flushScheduled = false
  for (const [socket, outbox] of outboxes) {
    if (socket.destroyed || socket.writableEnded) {
      outboxes.delete(socket)
      continue
    }
    if (socket.writableNeedDrain) {
      waitForDrain(socket)
      continue
    }
    outboxes.delete(socket)
    socket.write(concat(outbox.frames))
  }
}

function waitForDrain(socket: Duplex): void {
  if (waitingForDrain.has(socket)) return
  waitingForDrain.add(socket)
  const resume = () => {
    socket.off('drain', resume)
    socket.off('close', resume)
    waitingForDrain.delete(socket)
    scheduleFlush()
  }
  socket.on('drain', resume)
  socket.on('close', resume)
}

const concat = (frames: Buffer[]) => (frames.length === 1 ? frames[0]! : Buffer.concat(frames))
