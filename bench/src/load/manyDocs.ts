/**
 * Many documents (scenario 2) as the generator drives it: every document is opened by two
 * clients; the first writes a short paragraph; all sit idle; then the first client of a subset
 * types lightly with its caret while the second notes the arrivals.
 */
import { quantiles, type Quantiles } from '../stats.js'
import { Reader } from './reader.js'
import { cpuMs, machineCpuMs } from '../procfs.js'
import { sampleMemory } from './heap.js'
import type { Endpoint } from './socket.js'
import { StampBook } from './stamps.js'
import { inBatches, sleep, typeSteadily, waitUntil } from './wait.js'
import { Writer } from './writer.js'

export interface ManyDocsTask {
  serverPid: number
  /** The server's V8 inspector, to collect garbage before each memory reading. */
  inspectorUrl: string | null
  /** Per document: [the writing client, the reading client]. */
  rooms: [Endpoint, Endpoint][]
  /** Characters the first client writes into each document on opening it. */
  initialChars: number
  activeDocuments: number
  ratePerWriter: number
  durationMs: number
  settleMs: number
  drainMs: number
}

export interface ManyDocsResult {
  documents: number
  rssBaselineKb: number
  rssIdleKb: number
  rssActiveKb: number
  /** RSS growth per document opened after the baseline, read after a full GC. */
  idlePerDocumentKb: number
  /** JS heap growth per document, after a full GC (null without an inspector). */
  idleHeapPerDocumentKb: number | null
  activePerDocumentKb: number
  openMs: number
  latency: Quantiles
  edits: number
  deliveries: number
  refusals: number
  /** CPU used by other processes during the typing window (% of one core). */
  otherCpuPercent: number
}

/** The share of documents opened before the memory baseline is taken. */
const FIRST_SHARE = 0.2

const FILLER = 'Each party shall designate a liaison who attends the quarterly review and reports to the board. '

export async function runManyDocs(task: ManyDocsTask): Promise<ManyDocsResult> {
  const book = new StampBook()
  const open = async (from: number, to: number) => {
    const opened = await inBatches(to - from, 40, async (offset) => {
      const [writerEndpoint, readerEndpoint] = task.rooms[from + offset]!
      const writer = new Writer(writerEndpoint, { name: `owner ${from + offset}`, book })
      const reader = new Reader(readerEndpoint, book, `partner ${from + offset}`)
      await Promise.all([writer.socket.ready, reader.socket.ready])
      writer.startParagraph(FILLER.repeat(Math.ceil(task.initialChars / FILLER.length)).slice(0, task.initialChars))
      return { writer, reader }
    })
    const written = () => opened.every(({ writer, reader }) => reader.arrivals.caughtUp(new Map([[writer.clientId, writer.clock]])))
    if (!(await waitUntil(written, 30_000, 10))) throw new Error('initial paragraphs did not arrive')
    await sleep(task.settleMs)
    return opened
  }
  // A first share of the documents absorbs whatever the server allocates once (heap headroom,
  // code, pools); memory per document is the growth from there to all of them.
  const firstShare = Math.max(1, Math.floor(task.rooms.length * FIRST_SHARE))
  const openStart = performance.now()
  const rooms = await open(0, firstShare)
  try {
    const baseline = await sampleMemory(task.serverPid, task.inspectorUrl)
    rooms.push(...(await open(firstShare, task.rooms.length)))
    const openMs = performance.now() - openStart
    const idle = await sampleMemory(task.serverPid, task.inspectorUrl)

    const active = rooms.slice(0, task.activeDocuments)
    const machineStart = machineCpuMs().busy
    const serverStart = cpuMs(task.serverPid)
    const ownStart = process.cpuUsage()
    const windowStart = performance.now()
    book.startWindow()
    const edits = await typeSteadily(active.length, task.ratePerWriter, task.durationMs, (index, now) => active[index]!.writer.keystroke(now))
    book.stopWindow()
    const targets = book.targets()
    await waitUntil(() => active.every(({ reader }) => reader.arrivals.caughtUp(targets)), task.drainMs)
    const own = process.cpuUsage(ownStart)
    const otherMs = machineCpuMs().busy - machineStart - (cpuMs(task.serverPid) - serverStart) - (own.user + own.system) / 1000
    const otherCpuPercent = Math.max(0, (otherMs / (performance.now() - windowStart)) * 100)
    const activeMemory = await sampleMemory(task.serverPid, task.inspectorUrl)
    const deliveries = book.latencies.length
    const documents = rooms.length
    return {
      documents,
      rssBaselineKb: baseline.rssKb,
      rssIdleKb: idle.rssKb,
      rssActiveKb: activeMemory.rssKb,
      idlePerDocumentKb: (idle.rssKb - baseline.rssKb) / (documents - firstShare),
      idleHeapPerDocumentKb:
        idle.heapUsedKb !== null && baseline.heapUsedKb !== null ? (idle.heapUsedKb - baseline.heapUsedKb) / (documents - firstShare) : null,
      activePerDocumentKb: active.length > 0 ? (activeMemory.rssKb - idle.rssKb) / active.length : NaN,
      openMs,
      latency: quantiles(book.latencies),
      edits,
      deliveries,
      otherCpuPercent,
      refusals: rooms.reduce((sum, { writer, reader }) => sum + writer.socket.refusals.length + reader.socket.refusals.length, 0),
    }
  } finally {
    for (const { writer, reader } of rooms) {
      writer.close()
      reader.close()
    }
  }
}
