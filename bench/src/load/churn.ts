/**
 * Convergence under churn (scenario 4): writers edit anywhere in one document while dropping
 * their connection at random and coming back (edits made while away go in the sync exchange,
 * as y-websocket does); then everyone stops, the dropped come back, a late joiner arrives,
 * and we time how long until every copy is identical.
 */
import * as Y from 'yjs'
import type { Endpoint } from './socket.js'
import { StampBook } from './stamps.js'
import { sleep, typeSteadily, waitUntil } from './wait.js'
import { Writer } from './writer.js'

export interface ChurnTask {
  writers: Endpoint[]
  lateJoiner: Endpoint
  ratePerWriter: number
  durationMs: number
  /** Mean time between drops of one writer, and how long it stays away. */
  meanUpMs: number
  downMs: [number, number]
  seed: number
  convergeTimeoutMs: number
}

export interface ChurnResult {
  drops: number
  edits: number
  /** Typing stopped → every writer and the late joiner hold identical content. */
  convergeMs: number
  /** Late joiner: socket created → synced. */
  lateJoinMs: number
  converged: boolean
  refusals: number
  characters: number
}

function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 4294967296
  }
}

const content = (writer: Writer) => writer.fragment.toString()

export async function runChurn(task: ChurnTask): Promise<ChurnResult> {
  const book = new StampBook()
  const next = random(task.seed)
  const writers = task.writers.map((endpoint, index) => new Writer(endpoint, { name: `writer ${index}`, book, applyRemote: true }))
  let late: Writer | null = null
  try {
    await Promise.all(writers.map((writer) => writer.socket.ready))
    writers[0]!.startParagraph('The parties agree as follows.')
    await waitUntil(() => writers.every((writer) => writer.fragment.length > 0), 5000)

    let drops = 0
    const down = new Set<Writer>()
    const end = performance.now() + task.durationMs
    const churn = (async () => {
      // Each writer is up for an exponentially distributed time, then away for a while.
      const tick = 50
      while (performance.now() < end) {
        await sleep(tick)
        for (const writer of writers) {
          if (down.has(writer) || next() > tick / task.meanUpMs) continue
          down.add(writer)
          drops++
          writer.disconnect()
          const away = task.downMs[0] + next() * (task.downMs[1] - task.downMs[0])
          setTimeout(() => {
            if (!down.delete(writer)) return
            writer.reconnect()
          }, away)
        }
      }
    })()
    const edits = await typeSteadily(writers.length, task.ratePerWriter, task.durationMs, (index) => writers[index]!.randomEdit(next))
    await churn

    const stopped = performance.now()
    for (const writer of down) writer.reconnect()
    down.clear()
    late = new Writer(task.lateJoiner, { name: 'late joiner', book, applyRemote: true })
    const everyone = [...writers, late]
    const converged = await waitUntil(
      () => {
        if (!late!.socket.isOpen || Number.isNaN(late!.socket.times.synced)) return false
        const reference = content(everyone[0]!)
        const vector = Y.encodeStateVector(everyone[0]!.doc).join()
        return everyone.every((writer) => Y.encodeStateVector(writer.doc).join() === vector && content(writer) === reference)
      },
      task.convergeTimeoutMs,
      5,
    )
    return {
      drops,
      edits,
      convergeMs: performance.now() - stopped,
      lateJoinMs: late.socket.times.synced - late.socket.times.created,
      converged,
      refusals: everyone.reduce((sum, writer) => sum + writer.socket.refusals.length, 0),
      characters: content(writers[0]!).length,
    }
  } finally {
    for (const writer of writers) writer.close()
    late?.close()
  }
}
