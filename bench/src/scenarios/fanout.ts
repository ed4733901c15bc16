/**
 * Scenario 1 (fan-out) and 5 (durability cost): N clients on one document, W typing with
 * carets. Orchestration only: the generator does the typing.
 */
import type { Generator } from '../generator.js'
import { waitForQuiet } from '../quiet.js'
import type { WindowResult } from '../load/fanout.js'
import type { MetricDef, RunMetrics } from '../metrics.js'
import type { BenchServer, Seat } from '../servers/types.js'

export interface FanoutCase {
  clients: number
  writers: number
  /** Keystrokes per second per writer. */
  rate: number
}

export interface FanoutParams {
  cases: FanoutCase[]
  warmupMs: number
  durationMs: number
  drainMs: number
}

/** A saturated generator measures itself, not the server: flagged above this share of a core. */
export const GENERATOR_SATURATED_PERCENT = 85
/** Other processes busier than this (% of a core) during a window make its numbers suspect. */
export const OTHER_LOAD_PERCENT = 15
/** Distinct accounts per role in Accord: clients beyond these share an account (more tabs, same people). */
const DRAFTER_ACCOUNTS = 5
const VIEWER_ACCOUNTS = 4

export const caseId = (c: FanoutCase) => `${c.clients}x${c.writers}`

export function fanoutMetrics(params: FanoutParams): MetricDef[] {
  const defs: MetricDef[] = []
  for (const c of params.cases) {
    const id = `fanout.${caseId(c)}`
    const what = `fan-out ${c.clients} clients, ${c.writers} writers × ${c.rate}/s`
    defs.push(
      { id: `${id}.p50`, label: `${what}: latency p50`, unit: 'ms', better: 'lower', digits: 1 },
      { id: `${id}.p95`, label: `${what}: latency p95`, unit: 'ms', better: 'lower', digits: 1 },
      { id: `${id}.p99`, label: `${what}: latency p99`, unit: 'ms', better: 'lower', digits: 1 },
      { id: `${id}.max`, label: `${what}: latency max`, unit: 'ms', better: 'lower', digits: 1 },
      { id: `${id}.cpu`, label: `${what}: server CPU per delivered edit`, unit: 'µs', better: 'lower', digits: 1 },
      { id: `${id}.cpuMain`, label: `${what}: of which the server's main thread`, unit: 'µs', better: 'lower', digits: 1 },
      { id: `${id}.cpuStorage`, label: `${what}: of which Accord's storage writer thread (SQLite commits, fsync)`, unit: 'µs', better: 'lower', digits: 1, accordOnly: true },
      { id: `${id}.cpuOther`, label: `${what}: of which the other threads (V8's compiler and GC helpers, module loader)`, unit: 'µs', better: 'lower', digits: 1 },
      { id: `${id}.rss`, label: `${what}: server RSS`, unit: 'MB', better: 'lower', digits: 0 },
      { id: `${id}.frames`, label: `${what}: frames sent per delivered edit (all types)`, unit: 'frames', better: 'lower', digits: 2 },
      { id: `${id}.writes`, label: `${what}: server write system calls per delivered edit`, unit: 'calls', better: 'lower', digits: 2 },
      { id: `${id}.gen`, label: `${what}: load generator CPU`, unit: '% of a core', better: 'info', digits: 0 },
    )
  }
  for (const c of params.cases) {
    const id = `durability.${caseId(c)}`
    const what = `keystroke → Saved, ${c.clients} clients, ${c.writers} writers`
    defs.push(
      { id: `${id}.p50`, label: `${what}: p50`, unit: 'ms', better: 'lower', digits: 1, accordOnly: true },
      { id: `${id}.p95`, label: `${what}: p95`, unit: 'ms', better: 'lower', digits: 1, accordOnly: true },
      { id: `${id}.p99`, label: `${what}: p99`, unit: 'ms', better: 'lower', digits: 1, accordOnly: true },
    )
  }
  return defs
}

export function seats(clients: number, writers: number): Seat[] {
  return Array.from({ length: clients }, (_, index) =>
    index < writers
      ? { role: 'drafter' as const, account: index % DRAFTER_ACCOUNTS }
      : { role: 'viewer' as const, account: (index - writers) % VIEWER_ACCOUNTS },
  )
}

export function checkWindow(window: WindowResult, what: string, run: RunMetrics): void {
  if (window.deliveries < window.expectedDeliveries) {
    run.notes.push(`${what}: ${window.expectedDeliveries - window.deliveries} of ${window.expectedDeliveries} deliveries missing`)
  }
  if (window.refusals > 0) run.notes.push(`${what}: ${window.refusals} writes refused`)
  if (window.saveFailures > 0) run.notes.push(`${what}: ${window.saveFailures} save failures`)
  if (window.otherCpuPercent > OTHER_LOAD_PERCENT || window.stealPercent > OTHER_LOAD_PERCENT) {
    run.notes.push(
      `${what}: other processes used ${window.otherCpuPercent.toFixed(0)}% of a core during the window` +
        (window.stealPercent > 1 ? ` and the hypervisor stole ${window.stealPercent.toFixed(0)}%` : '') +
        ' (the machine was not quiet)',
    )
  }
  if (window.generatorCpuPercent > GENERATOR_SATURATED_PERCENT) {
    run.notes.push(`${what}: the load generator used ${window.generatorCpuPercent.toFixed(0)}% of a core (saturated; latencies include its queueing)`)
  }
}

export async function runFanoutScenario(server: BenchServer, generator: Generator, params: FanoutParams, run: RunMetrics): Promise<void> {
  for (const [index, c] of params.cases.entries()) {
    // The previous case's document was just closed: Accord stores a checkpoint and works out its
    // activity feed in an export worker. That is real work, but the previous case's: each case's
    // window starts once the machine is quiet again.
    if (index > 0) await waitForQuiet(20_000)
    const [room] = await server.rooms(1, seats(c.clients, c.writers), `Fan-out ${caseId(c)}`)
    const result = await generator.call('fanout', {
      serverPids: [server.pid],
      writers: room!.slice(0, c.writers),
      readers: room!.slice(c.writers),
      warmupMs: params.warmupMs,
      durationMs: params.durationMs,
      drainMs: params.drainMs,
      rates: [c.rate],
    })
    const window = result.windows[0]!
    const id = `fanout.${caseId(c)}`
    Object.assign(run.values, {
      [`${id}.p50`]: window.latency.p50,
      [`${id}.p95`]: window.latency.p95,
      [`${id}.p99`]: window.latency.p99,
      [`${id}.max`]: window.latency.max,
      [`${id}.cpu`]: window.cpuPerDeliveryUs,
      [`${id}.cpuMain`]: (window.serverMainThreadCpuMs * 1000) / window.deliveries,
      [`${id}.cpuOther`]: ((window.serverCpuMs - window.serverMainThreadCpuMs - window.serverStorageThreadCpuMs) * 1000) / window.deliveries,
      [`${id}.rss`]: window.serverRssKb / 1024,
      [`${id}.gen`]: window.generatorCpuPercent,
      [`${id}.frames`]: Object.values(window.framesReceived).reduce((sum, count) => sum + count, 0) / window.deliveries,
      [`${id}.writes`]: window.serverWriteCalls / window.deliveries,
    })
    if (server.kind === 'accord') run.values[`${id}.cpuStorage`] = (window.serverStorageThreadCpuMs * 1000) / window.deliveries
    run.details[id] = { framesReceived: window.framesReceived, deliveries: window.deliveries, edits: window.edits, serverCpuMs: window.serverCpuMs }
    if (window.saved) {
      Object.assign(run.values, {
        [`durability.${caseId(c)}.p50`]: window.saved.p50,
        [`durability.${caseId(c)}.p95`]: window.saved.p95,
        [`durability.${caseId(c)}.p99`]: window.saved.p99,
      })
    }
    checkWindow(window, `fan-out ${caseId(c)}`, run)
  }
}
