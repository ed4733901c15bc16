/** Bounded waiting and pacing helpers for the load generator. */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Polls `condition` until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitUntil(condition: () => boolean, timeoutMs: number, intervalMs = 2): Promise<boolean> {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) return false
    await sleep(intervalMs)
  }
  return true
}

/** Runs `tasks` with at most `limit` in flight. */
export async function inBatches<T>(count: number, limit: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count)
  let next = 0
  const worker = async () => {
    while (next < count) {
      const index = next++
      results[index] = await task(index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker))
  return results
}

/**
 * Calls `keystroke(i, now)` for each of `typists` typists at `ratePerTypist` per second for
 * `durationMs`, phases spread evenly, on one 1 ms timer. A generator that falls behind catches
 * up in bursts, as a real client would. Returns the number of keystrokes made.
 */
export function typeSteadily(
  typists: number,
  ratePerTypist: number,
  durationMs: number,
  keystroke: (typist: number, now: number) => void,
): Promise<number> {
  const period = 1000 / ratePerTypist
  const perTypist = Math.floor((durationMs / 1000) * ratePerTypist)
  const sent = new Array<number>(typists).fill(0)
  const start = performance.now()
  let total = 0
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now()
      let done = true
      for (let typist = 0; typist < typists; typist++) {
        const phase = (typist / typists) * period
        const due = Math.min(perTypist, Math.floor((now - start - phase) / period) + 1)
        while (sent[typist]! < due) {
          keystroke(typist, performance.now())
          sent[typist]!++
          total++
        }
        if (sent[typist]! < perTypist) done = false
      }
      if (done || now - start > durationMs + 5000) {
        clearInterval(timer)
        resolve(total)
      }
    }, 1)
  })
}
