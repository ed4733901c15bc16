/**
 * Fan-out (scenario 1) and the durability cost (scenario 5) as the generator drives them:
 * N clients on one document, W of them typing at a steady rate with their carets; every other
 * client notes each keystroke's arrival. Also the saturation ramp on the same clients.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { cpuMs, machineCpuMs, mainThreadCpuMs, namedThreadsCpuMs, rssKb, writeCalls } from '../procfs.js'
import { MessageType } from '../protocol.js'
import { quantiles, type Quantiles } from '../stats.js'
import { Reader } from './reader.js'
import type { Endpoint } from './socket.js'
import { StampBook } from './stamps.js'
import { inBatches, typeSteadily, waitUntil } from './wait.js'
import { Writer } from './writer.js'

const LOOP_RESOLUTION_MS = 2
const sumOf = (pids: number[], read: (pid: number) => number) => pids.reduce((sum, pid) => sum + read(pid), 0)

export interface FanoutTask {
  /** The server's processes (several for a scale-out deployment): their CPU and RSS are summed. */
  serverPids: number[]
  writers: Endpoint[]
  readers: Endpoint[]
  warmupMs: number
  durationMs: number
  /** Longest wait, after typing stops, for the last keystrokes to arrive everywhere. */
  drainMs: number
  /** Keystrokes per second per writer, one window each; a ramp stops at the first window over `stopAboveP99Ms`. */
  rates: number[]
  stopAboveP99Ms?: number
}

export interface WindowResult {
  ratePerWriter: number
  totalRate: number
  edits: number
  receivers: number
  expectedDeliveries: number
  deliveries: number
  latency: Quantiles
  /** Accord only: keystroke to the Saved (100) that covers it. */
  saved: Quantiles | null
  serverCpuMs: number
  cpuPerDeliveryUs: number
  /** Of `serverCpuMs`, what the servers' main threads used (the rest: V8's compiler and GC helpers, worker threads). */
  serverMainThreadCpuMs: number
  /** Of `serverCpuMs`, what Accord's storage writer thread used: its SQLite commits and their fsyncs (0 for the peers, which store nothing). */
  serverStorageThreadCpuMs: number
  /** Write system calls the server made (sockets, and its storage if it has one). */
  serverWriteCalls: number
  serverRssKb: number
  wallMs: number
  generatorCpuPercent: number
  generatorLoopDelayP99Ms: number
  refusals: number
  saveFailures: number
  /** CPU used by everything else on the machine during the window (% of one core), and stolen by the hypervisor. */
  otherCpuPercent: number
  stealPercent: number
  /** Frames the server sent to all clients during the window, by message type name. */
  framesReceived: Record<string, number>
}

export interface FanoutResult {
  connectMs: number
  windows: WindowResult[]
}

export async function runFanout(task: FanoutTask): Promise<FanoutResult> {
  const book = new StampBook()
  const connectStart = performance.now()
  const writers = task.writers.map((endpoint, index) => new Writer(endpoint, { name: `writer ${index}`, book }))
  await Promise.all(writers.map((writer) => writer.socket.ready))
  const readers = await inBatches(task.readers.length, 50, async (index) => {
    const reader = new Reader(task.readers[index]!, book, `reader ${index}`)
    await reader.socket.ready
    return reader
  })
  const receivers = [...writers.map((writer) => writer.arrivals), ...readers.map((reader) => reader.arrivals)]
  try {
    for (const writer of writers) writer.startParagraph()
    const paragraphs = new Map(writers.map((writer) => [writer.clientId, writer.clock]))
    const ready = await waitUntil(() => receivers.every((arrivals) => arrivals.caughtUp(paragraphs)), 10_000)
    if (!ready) throw new Error('writers’ paragraphs did not reach every client')
    const connectMs = performance.now() - connectStart

    const type = (rate: number, ms: number) =>
      typeSteadily(writers.length, rate, ms, (index, now) => writers[index]!.keystroke(now))

    const windows: WindowResult[] = []
    const measure = async (rate: number): Promise<WindowResult> => {
      await type(rate, task.warmupMs)
      await waitUntil(() => receivers.every((arrivals) => arrivals.caughtUp(currentClocks(writers))), task.drainMs)
      book.startWindow()
      for (const writer of writers) writer.savedLatencies = []
      const framesBefore = countFrames(writers, readers)
      const refusalsBefore = countRefusals(writers, readers)
      const saveFailuresBefore = writers.reduce((sum, writer) => sum + writer.socket.saveFailures, 0)
      const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS })
      loopDelay.enable()
      const machineStart = machineCpuMs()
      const serverCpuStart = sumOf(task.serverPids, cpuMs)
      const serverWritesStart = sumOf(task.serverPids, writeCalls)
      const serverMainStart = sumOf(task.serverPids, mainThreadCpuMs)
      const serverStorageStart = sumOf(task.serverPids, storageThreadCpuMs)
      const ownCpuStart = process.cpuUsage()
      const wallStart = performance.now()

      const edits = await type(rate, task.durationMs)
      book.stopWindow()
      const targets = book.targets()
      await waitUntil(() => receivers.every((arrivals) => arrivals.caughtUp(targets)), task.drainMs)
      // Saved follows the commit; give the last acknowledgements the same bounded wait.
      if (writers.some((writer) => writer.savedClock > 0)) {
        await waitUntil(() => writers.every((writer) => writer.savedClock >= (targets.get(writer.clientId) ?? 0)), task.drainMs)
      }

      const framesAfter = countFrames(writers, readers)
      const wallMs = performance.now() - wallStart
      const serverCpuMs = sumOf(task.serverPids, cpuMs) - serverCpuStart
      const serverWriteCalls = sumOf(task.serverPids, writeCalls) - serverWritesStart
      const serverMainThreadCpuMs = sumOf(task.serverPids, mainThreadCpuMs) - serverMainStart
      const serverStorageThreadCpuMs = sumOf(task.serverPids, storageThreadCpuMs) - serverStorageStart
      const ownCpu = process.cpuUsage(ownCpuStart)
      const machineEnd = machineCpuMs()
      const ownCpuMs = (ownCpu.user + ownCpu.system) / 1000
      loopDelay.disable()
      const receiversPerEdit = writers.length + readers.length - 1
      const expectedDeliveries = edits * receiversPerEdit
      const deliveries = book.latencies.length
      const savedSamples = writers.flatMap((writer) => writer.savedLatencies)
      const window: WindowResult = {
        ratePerWriter: rate,
        totalRate: rate * writers.length,
        edits,
        receivers: receiversPerEdit,
        expectedDeliveries,
        deliveries,
        latency: quantiles(book.latencies),
        saved: savedSamples.length > 0 ? quantiles(savedSamples) : null,
        serverCpuMs,
        cpuPerDeliveryUs: deliveries > 0 ? (serverCpuMs * 1000) / deliveries : NaN,
        serverMainThreadCpuMs,
        serverStorageThreadCpuMs,
        serverWriteCalls,
        serverRssKb: sumOf(task.serverPids, rssKb),
        wallMs,
        generatorCpuPercent: (ownCpuMs / wallMs) * 100,
        // The histogram holds sampling intervals: lateness is what exceeds the resolution.
        generatorLoopDelayP99Ms: Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS),
        refusals: countRefusals(writers, readers) - refusalsBefore,
        saveFailures: writers.reduce((sum, writer) => sum + writer.socket.saveFailures, 0) - saveFailuresBefore,
        otherCpuPercent: Math.max(0, ((machineEnd.busy - machineStart.busy - serverCpuMs - ownCpuMs) / wallMs) * 100),
        stealPercent: ((machineEnd.steal - machineStart.steal) / wallMs) * 100,
        framesReceived: Object.fromEntries([...framesAfter].map(([type, count]) => [typeName(type), count - (framesBefore.get(type) ?? 0)])),
      }
      return window
    }

    for (const rate of task.rates) {
      const bound = task.stopAboveP99Ms
      if (bound === undefined) {
        windows.push(await measure(rate))
        continue
      }
      // A ramp step passes when p99 stays under the bound with nothing lost; one noisy window
      // (a collector pause, another process) gets a second try before the ramp stops.
      let passed = false
      for (let attempt = 0; attempt < 2 && !passed; attempt++) {
        const window = await measure(rate)
        windows.push(window)
        passed = window.deliveries >= window.expectedDeliveries && window.latency.p99 <= bound
      }
      if (!passed) break
    }
    return { connectMs, windows }
  } finally {
    for (const writer of writers) writer.close()
    for (const reader of readers) reader.close()
  }
}

function currentClocks(writers: readonly Writer[]): Map<number, number> {
  return new Map(writers.map((writer) => [writer.clientId, writer.clock]))
}

function countFrames(writers: readonly Writer[], readers: readonly Reader[]): Map<number, number> {
  const counts = new Map<number, number>()
  for (const socket of [...writers.map((writer) => writer.socket), ...readers.map((reader) => reader.socket)]) {
    for (const [type, count] of socket.framesByType) counts.set(type, (counts.get(type) ?? 0) + count)
  }
  return counts
}

const TYPE_NAMES = new Map<number, string>(Object.entries(MessageType).map(([name, type]) => [type, name]))
const typeName = (type: number) => TYPE_NAMES.get(type) ?? `type ${type}`

function countRefusals(writers: readonly Writer[], readers: readonly Reader[]): number {
  let count = 0
  for (const writer of writers) count += writer.socket.refusals.length
  for (const reader of readers) count += reader.socket.refusals.length
  return count
}

/** Accord's storage writer thread, by the name it gives itself (server/src/persistence/sqliteUpdateStorage.ts). */
const storageThreadCpuMs = (pid: number) => namedThreadsCpuMs(pid, 'accord-storage')
