import type { Duplex } from 'node:stream'

const held = new Set<Duplex>()
let releaseScheduled = false

/**
 * Holds a socket's writes until the end of this turn of the event loop, then lets them out
 * in one system call. A keystroke arrives with its caret update, and a busy committee's edits
 * arrive together, so without this every frame to every reader was a write of its own: the
 * largest cost of fan-out (see bench/README.md). The delay is at most one turn of the loop.
 */
export function holdWritesUntilEndOfTurn(socket: Duplex): void {
  if (held.has(socket)) return
  socket.cork()
  held.add(socket)
  if (releaseScheduled) return
  releaseScheduled = true
  setImmediate(releaseHeldWrites)
}

function releaseHeldWrites(): void {
  releaseScheduled = false
  for (const socket of held) socket.uncork()
  held.clear()
}
