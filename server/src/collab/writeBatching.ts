import type { Duplex } from 'node:stream'

const outboxes = new Map<Duplex, Buffer[]>()
let flushScheduled = false

/**
 * Queues a framed message for `socket` until the end of this turn of the event loop, then
 * writes everything queued for it at once: one write, one system call. A keystroke arrives
 * with its caret update, and a busy committee's edits arrive together, so without this every
 * frame to every reader was a write of its own: the largest cost of fan-out (see
 * bench/README.md). The delay is at most one turn of the loop.
 */
export function writeAtEndOfTurn(socket: Duplex, frame: Buffer): void {
  const outbox = outboxes.get(socket)
  if (outbox) {
    outbox.push(frame)
    return
  }
  outboxes.set(socket, [frame])
  if (flushScheduled) return
  flushScheduled = true
  setImmediate(flushOutboxes)
}

function flushOutboxes(): void {
  flushScheduled = false
  for (const [socket, frames] of outboxes) {
    // Closed meanwhile (its close frame went first): the client would ignore these anyway.
    if (socket.destroyed || socket.writableEnded) continue
    socket.write(frames.length === 1 ? frames[0]! : Buffer.concat(frames))
  }
  outboxes.clear()
}
