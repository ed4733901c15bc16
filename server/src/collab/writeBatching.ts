import type { Duplex } from 'node:stream'
import type { Frame } from './frames.js'

/**
 * Up to this many bytes, a socket's queued frames are copied into one buffer for its write;
 * beyond it they are handed to the socket as they are and go out in one `writev`, since copying
 * a long agreement's first sync (1.2 MB) would cost as much as sending it.
 */
const COPY_TOGETHER_BYTES = 64 * 1024

/** Outboxes with frames queued this turn, in the order they were first written to; reused every turn. */
const queued: Outbox[] = []
let flushScheduled = false
const NOTHING = Buffer.alloc(0)

/**
 * The frames waiting for one socket until the end of this turn of the event loop, when
 * everything queued for it is written at once: one write, one system call. A keystroke arrives
 * with its caret update, and a busy committee's edits arrive together, so without this every
 * frame to every reader was a write of its own: the largest cost of fan-out (see
 * bench/README.md). The delay is at most one turn of the loop, unless the peer is not reading:
 * then frames wait here, not in the socket, so that they can be counted and dropped (see
 * `unsentBytes`) and a close frame can still reach the peer before them.
 *
 * One outbox serves its socket for the socket's life and keeps its buffer list between turns:
 * a broadcast queues a frame for every reader, and making their outboxes afresh each turn was
 * a third of what a meeting's server allocated (see docs/INTERNALS.md).
 */
export class Outbox {
  /** The first `count` are queued; the rest are NOTHING. Truncating the list would free it, and the next turn would allocate it again. */
  private readonly buffers: Buffer[] = []
  private count = 0
  private bytes = 0
  private isQueued = false
  private waitingForDrain = false

  constructor(private readonly socket: Duplex) {}

  /** Queues `frame` to be written at the end of this turn. */
  write(frame: Frame): void {
    if ('head' in frame) {
      this.add(frame.head)
      this.add(frame.body)
    } else {
      this.add(frame)
    }
    this.enqueue()
  }

  /** Bytes queued for the socket that it has not taken: ours, and what the socket itself still holds. */
  unsentBytes(): number {
    return this.socket.writableLength + this.bytes
  }

  /** Writes what is queued now, e.g. just before the close frame. */
  flushNow(): void {
    if (this.count === 0) return
    if (this.socket.destroyed || this.socket.writableEnded) this.discard()
    else this.writeToSocket()
  }

  /** Forgets what is queued, for a socket that is being closed for not reading. */
  discard(): void {
    this.buffers.fill(NOTHING, 0, this.count)
    this.count = 0
    this.bytes = 0
  }

  /** The end of the turn: written, unless the peer has not taken the last write yet. */
  flush(): void {
    this.isQueued = false
    if (this.count === 0) return
    if (this.socket.destroyed || this.socket.writableEnded) this.discard()
    else if (this.socket.writableNeedDrain) this.waitForDrain()
    else this.writeToSocket()
  }

  private add(buffer: Buffer): void {
    this.buffers[this.count++] = buffer
    this.bytes += buffer.byteLength
  }

  private enqueue(): void {
    if (this.isQueued) return
    this.isQueued = true
    queued.push(this)
    scheduleFlush()
  }

  /** Writes the `count` queued buffers (at least one): one write, or one writev when they are large. */
  private writeToSocket(): void {
    const { socket, buffers, count, bytes } = this
    if (count === 1) {
      socket.write(buffers[0])
    } else if (bytes <= COPY_TOGETHER_BYTES) {
      // The NOTHING entries past `count` add no bytes.
      socket.write(Buffer.concat(buffers, bytes))
    } else {
      socket.cork()
      for (let index = 0; index < count; index++) socket.write(buffers[index])
      socket.uncork()
    }
    this.discard()
  }

  private waitForDrain(): void {
    if (this.waitingForDrain) return
    this.waitingForDrain = true
    const resume = () => {
      this.socket.off('drain', resume)
      this.socket.off('close', resume)
      this.waitingForDrain = false
      this.enqueue()
    }
    this.socket.on('drain', resume)
    this.socket.on('close', resume)
  }
}

function scheduleFlush(): void {
  if (flushScheduled) return
  flushScheduled = true
  setImmediate(flushQueued)
}

function flushQueued(): void {
  flushScheduled = false
  // An outbox queued while this runs (a write's callback) waits for the next turn's flush.
  const count = queued.length
  for (let index = 0; index < count; index++) queued[index]!.flush()
  queued.splice(0, count)
}
