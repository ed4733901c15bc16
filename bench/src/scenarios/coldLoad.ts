/**
 * Scenario 3: a large MOU built from a real edit history, then joined. Accord stores it and is
 * restarted, so every join reads it from SQLite; the peers keep it in memory (one author stays
 * connected, since Hocuspocus forgets a document nobody has open).
 */
import type { Generator } from '../generator.js'
import type { Expected, JoinResult } from '../load/join.js'
import type { MetricDef, RunMetrics } from '../metrics.js'
import type { BenchServer, Seat } from '../servers/types.js'
import { peakRssKb, resetPeakRss, rssKb } from '../procfs.js'
import { AccordServer } from '../servers/accord.js'
import { spread } from '../stats.js'

export interface ColdLoadParams {
  words: number
  authors: number
  burst: number
  seed: number
  joins: number
  stormJoiners: number
  maxBuildMs: number
}

export function coldLoadMetrics(params: ColdLoadParams): MetricDef[] {
  const what = `cold load, ${Math.round(params.words / 1000)}k-word MOU`
  return [
    { id: 'cold.words', label: `${what}: words in the document`, unit: 'words', better: 'info', digits: 0 },
    { id: 'cold.edits', label: `${what}: edits in its history (${params.authors} authors)`, unit: 'edits', better: 'info', digits: 0 },
    { id: 'cold.bytes', label: `${what}: Yjs state size`, unit: 'KB', better: 'info', digits: 0 },
    { id: 'cold.build', label: `${what}: time to build the history through the server`, unit: 's', better: 'lower', digits: 1 },
    {
      id: 'cold.first',
      label: `${what}: first join after restart, loading the whole update log (and writing a snapshot)`,
      unit: 'ms',
      better: 'lower',
      digits: 0,
      accordOnly: true,
    },
    { id: 'cold.fresh', label: `${what}: join → synced in a just-restarted server, from the snapshot`, unit: 'ms', better: 'lower', digits: 1, accordOnly: true },
    { id: 'cold.join', label: `${what}: join → synced (socket opened to sync step 2 received)`, unit: 'ms', better: 'lower', digits: 1 },
    { id: 'cold.reply', label: `${what}: sync step 1 sent → sync step 2 received`, unit: 'ms', better: 'lower', digits: 1 },
    { id: 'cold.storm', label: `${what}: ${params.stormJoiners} simultaneous joiners, until the last is synced`, unit: 'ms', better: 'lower', digits: 0 },
    { id: 'cold.complete', label: `${what}: every sync reply complete (1 = yes)`, unit: '', better: 'info', digits: 0 },
    { id: 'export.first.ms', label: `6. first export after a start (plain text, includes starting the export worker): time`, unit: 'ms', better: 'lower', digits: 0, accordOnly: true },
    ...(['docx', 'pdf'] as const).flatMap((format): MetricDef[] => [
      { id: `export.${format}.ms`, label: `6. export of the ${Math.round(params.words / 1000)}k-word MOU to ${format.toUpperCase()}: time`, unit: 'ms', better: 'lower', digits: 0, accordOnly: true },
      { id: `export.${format}.peak`, label: `6. export to ${format.toUpperCase()}: server peak RSS above its RSS before`, unit: 'MB', better: 'lower', digits: 0, accordOnly: true },
      { id: `export.${format}.size`, label: `6. export to ${format.toUpperCase()}: file size`, unit: 'KB', better: 'info', digits: 0, accordOnly: true },
    ]),
  ]
}

export async function runColdLoadScenario(server: BenchServer, generator: Generator, params: ColdLoadParams, run: RunMetrics): Promise<void> {
  const seats: Seat[] = [
    ...Array.from({ length: params.authors }, (_, index) => ({ role: 'drafter' as const, account: index })),
    ...Array.from({ length: params.stormJoiners }, (_, index) => ({ role: 'viewer' as const, account: index % 4 })),
  ]
  const [room] = await server.rooms(1, seats, 'Large MOU')
  const authors = room!.slice(0, params.authors)
  const joiners = room!.slice(params.authors)
  const built = await generator.call(
    'buildHistory',
    { authors, words: params.words, seed: params.seed, burst: params.burst, maxMs: params.maxBuildMs },
    params.maxBuildMs + 60_000,
  )
  const expected: Expected = { stateBytes: built.stateBytes, words: built.words }
  Object.assign(run.values, {
    'cold.words': built.words,
    'cold.edits': built.edits,
    'cold.bytes': built.stateBytes / 1024,
    'cold.build': built.buildMs / 1000,
  })
  const replies: JoinResult[] = []
  const join = async (check: boolean) => {
    const result = await generator.call('join', { endpoint: joiners[0]!, expected, check })
    replies.push(result)
    // Give the server a moment to unload the document (Accord reads it from SQLite again).
    await new Promise((resolve) => setTimeout(resolve, 150))
    return result
  }

  if (server.kind === 'accord') {
    await generator.call('releaseAuthors', { keep: 0 })
    await new Promise((resolve) => setTimeout(resolve, 300))
    await server.restart()
    run.values['cold.first'] = (await join(true)).joinMs
    await server.restart()
    run.values['cold.fresh'] = (await join(true)).joinMs
  } else {
    await generator.call('releaseAuthors', { keep: 1 })
    await join(true)
  }
  const timed: JoinResult[] = []
  for (let index = 0; index < params.joins; index++) timed.push(await join(index === 0))
  run.values['cold.join'] = spread(timed.map((entry) => entry.joinMs))!.median
  run.values['cold.reply'] = spread(timed.map((entry) => entry.syncReplyMs))!.median
  const stormed = await generator.call('storm', { endpoints: joiners.slice(0, params.stormJoiners), expected })
  run.values['cold.storm'] = stormed.lastSyncedMs
  const complete = replies.every((entry) => entry.complete) && stormed.allComplete
  run.values['cold.complete'] = complete ? 1 : 0
  if (!complete) {
    const sizes = replies.map((entry) => `${entry.replyBytes} B${entry.words === null ? '' : `/${entry.words} words`}`).join(', ')
    run.notes.push(`cold load: an incomplete sync reply (expected ${expected.stateBytes} B, ${expected.words} words; got ${sizes}; storm smallest ${stormed.smallestReplyBytes} B)`)
  }
  if (built.refusals > 0) run.notes.push(`cold load: ${built.refusals} edits refused while building`)
  await generator.call('closeAll', undefined)
  if (server instanceof AccordServer) await measureExports(server, joiners[0]!.documentName, run)
}

/**
 * Scenario 6, on the same document: what a clerk's download costs the server. The server keeps
 * its export worker warm; the first export after a start also pays for starting it, so one
 * plain-text export goes first and is reported on its own.
 */
async function measureExports(server: AccordServer, documentId: string, run: RunMetrics): Promise<void> {
  const start = performance.now()
  await server.exportDocument(documentId, 'txt')
  run.values['export.first.ms'] = performance.now() - start
  for (const format of ['docx', 'pdf'] as const) {
    const before = rssKb(server.pid)
    resetPeakRss(server.pid)
    const start = performance.now()
    const bytes = await server.exportDocument(documentId, format)
    run.values[`export.${format}.ms`] = performance.now() - start
    run.values[`export.${format}.peak`] = (peakRssKb(server.pid) - before) / 1024
    run.values[`export.${format}.size`] = bytes / 1024
  }
}
