/**
 * The machine is shared (two cores): before each run, wait (bounded) until other processes
 * leave it mostly idle, so one server is not measured while something else competes for a core.
 */
import { machineCpuMs } from './procfs.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Returns the busy share (% of one core) seen last, and whether it was under `thresholdPercent`. */
export async function waitForQuiet(maxWaitMs: number, thresholdPercent = 20, sampleMs = 300): Promise<{ quiet: boolean; busyPercent: number }> {
  const deadline = performance.now() + maxWaitMs
  let busyPercent = 0
  do {
    const before = machineCpuMs().busy
    await sleep(sampleMs)
    busyPercent = ((machineCpuMs().busy - before) / sampleMs) * 100
    if (busyPercent < thresholdPercent) return { quiet: true, busyPercent }
  } while (performance.now() < deadline)
  return { quiet: false, busyPercent }
}
