/** Scenario 2: many documents, two members each, mostly idle; memory per document and latency. */
import type { Generator } from '../generator.js'
import type { MetricDef, RunMetrics } from '../metrics.js'
import type { BenchServer } from '../servers/types.js'
import { OTHER_LOAD_PERCENT } from './fanout.js'

export interface ManyDocsParams {
  documents: number
  initialChars: number
  activeDocuments: number
  ratePerWriter: number
  durationMs: number
  settleMs: number
  drainMs: number
}

export function manyDocsMetrics(params: ManyDocsParams): MetricDef[] {
  const what = `${params.documents} documents × 2 clients`
  return [
    { id: 'many.idle', label: `${what}: server RSS per idle loaded document (after a full GC)`, unit: 'KB', better: 'lower', digits: 0 },
    { id: 'many.heap', label: `${what}: JS heap per idle loaded document (after a full GC)`, unit: 'KB', better: 'lower', digits: 1 },
    {
      id: 'many.active',
      label: `${what}: extra RSS per active document (${params.activeDocuments} typing ${params.ratePerWriter}/s, after a full GC)`,
      unit: 'KB',
      better: 'lower',
      digits: 0,
    },
    { id: 'many.rss', label: `${what}: server RSS, all loaded and idle (after a full GC)`, unit: 'MB', better: 'lower', digits: 0 },
    { id: 'many.open', label: `${what}: time to open every document`, unit: 's', better: 'lower', digits: 1 },
    { id: 'many.p50', label: `${what}: latency p50 (active documents)`, unit: 'ms', better: 'lower', digits: 1 },
    { id: 'many.p99', label: `${what}: latency p99 (active documents)`, unit: 'ms', better: 'lower', digits: 1 },
  ]
}

export async function runManyDocsScenario(server: BenchServer, generator: Generator, params: ManyDocsParams, run: RunMetrics): Promise<void> {
  const rooms = await server.rooms(
    params.documents,
    [
      { role: 'owner', account: 0 },
      { role: 'drafter', account: 0 },
    ],
    'Agreement',
  )
  const result = await generator.call(
    'manyDocs',
    {
      serverPid: server.pid,
      inspectorUrl: server.inspectorUrl,
      rooms: rooms.map(([writer, reader]) => [writer!, reader!]),
      initialChars: params.initialChars,
      activeDocuments: params.activeDocuments,
      ratePerWriter: params.ratePerWriter,
      durationMs: params.durationMs,
      settleMs: params.settleMs,
      drainMs: params.drainMs,
    },
    300_000,
  )
  Object.assign(run.values, {
    'many.idle': result.idlePerDocumentKb,
    ...(result.idleHeapPerDocumentKb !== null ? { 'many.heap': result.idleHeapPerDocumentKb } : {}),
    'many.active': result.activePerDocumentKb,
    'many.rss': result.rssIdleKb / 1024,
    'many.open': result.openMs / 1000,
    'many.p50': result.latency.p50,
    'many.p99': result.latency.p99,
  })
  const expected = result.edits
  if (result.deliveries < expected) run.notes.push(`many documents: ${expected - result.deliveries} of ${expected} deliveries missing`)
  if (result.otherCpuPercent > OTHER_LOAD_PERCENT) {
    run.notes.push(`many documents: other processes used ${result.otherCpuPercent.toFixed(0)}% of a core while typing (the machine was not quiet)`)
  }
  if (result.refusals > 0) run.notes.push(`many documents: ${result.refusals} writes refused`)
}
