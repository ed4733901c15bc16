import type { Duplex } from 'node:stream'
import { frameBytes, type Frame } from './frames.js'

interface Outbox {
  buffers: Buffer[]
  bytes: number
}

const outboxes = new Map<Duplex, Outbox>()
/** Sockets whose peer has not taken the last write yet; their frames wait here for 'drain'. */
const waitingForDrain = new Set<Duplex>()
let flushScheduled = false
/**
 * Up to this many bytes, a socket's queued frames are copied into one buffer for its write;
 * beyond it they are handed to the socket as they are and go out in one `writev`, since copying
 * a long agreement's first sync (1.2 MB) would cost as much as sending it.
 */
const COPY_TOGETHER_BYTES = 64 * 1024

/**
 * Queues a framed message for `socket` until the end of this turn of the event loop, then
 * writes everything queued for it at once: one write, one system call. A keystroke arrives
 * with its caret update, and a busy committee's edits arrive together, so without this every
 * frame to every reader was a write of its own: the largest cost of fan-out (see
 * bench/README.md). The delay is at most one turn of the loop, unless the peer is not reading:
 * then frames wait here, not in the socket, so that they can be counted and dropped (see
 * `unsentBytes`) and a close frame can still reach the peer before them.
 */
export function writeAtEndOfTurn(socket: Duplex, frame: Frame): void {
  let outbox = outboxes.get(socket)
  if (!outbox) {
    outbox = { buffers: [], bytes: 0 }
    outboxes.set(socket, outbox)
    scheduleFlush()
  }
  if ('head' in frame) outbox.buffers.push(frame.head, frame.body)
  else outbox.buffers.push(frame)
  outbox.bytes += frameBytes(frame)
}

/** Bytes queued for `socket` that it has not taken: ours, and what the socket itself still holds. */
export function unsentBytes(socket: Duplex): number {
  return socket.writableLength + (outboxes.get(socket)?.bytes ?? 0)
}

/** Writes what is queued for `socket` now, e.g. just before its close frame. */
export function flushNow(socket: Duplex): void {
  const outbox = outboxes.get(socket)
  outboxes.delete(socket)
  if (outbox && !socket.destroyed && !socket.writableEnded) write(socket, outbox)
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
    write(socket, outbox)
  }
}

function write(socket: Duplex, { buffers, bytes }: Outbox): void {
  if (buffers.length === 1) {
    socket.write(buffers[0])
  } else if (bytes <= COPY_TOGETHER_BYTES) {
    socket.write(Buffer.concat(buffers, bytes))
  } else {
    socket.cork()
    for (const buffer of buffers) socket.write(buffer)
    socket.uncork()
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
