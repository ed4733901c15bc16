/**
 * Scenario 1's saturation point: the same clients typing faster and faster (a short ramp)
 * until p99 passes the bound; the answer is the highest total edit rate that stayed under it.
 */
import type { Generator } from '../generator.js'
import type { MetricDef, RunMetrics } from '../metrics.js'
import type { BenchServer } from '../servers/types.js'
import { GENERATOR_SATURATED_PERCENT, OTHER_LOAD_PERCENT, seats } from './fanout.js'

export interface SaturationParams {
  clients: number
  writers: number
  /** Keystrokes per second per writer, one window each, ascending. */
  rates: number[]
  warmupMs: number
  durationMs: number
  drainMs: number
}

const P99_BOUND_MS = 50

export function saturationMetrics(params: SaturationParams): MetricDef[] {
  return [
    {
      id: 'saturation.rate',
      label: `saturation (${params.clients} clients, ${params.writers} writers): highest total edit rate with p99 < ${P99_BOUND_MS} ms`,
      unit: 'edits/s',
      better: 'higher',
      digits: 0,
    },
    { id: 'saturation.gen', label: 'saturation: load generator CPU at that rate', unit: '% of a core', better: 'info', digits: 0 },
  ]
}

export async function runSaturationScenario(server: BenchServer, generator: Generator, params: SaturationParams, run: RunMetrics): Promise<void> {
  const [room] = await server.rooms(1, seats(params.clients, params.writers), 'Saturation')
  const result = await generator.call('fanout', {
    serverPids: [server.pid],
    writers: room!.slice(0, params.writers),
    readers: room!.slice(params.writers),
    warmupMs: params.warmupMs,
    durationMs: params.durationMs,
    drainMs: params.drainMs,
    rates: params.rates,
    stopAboveP99Ms: P99_BOUND_MS,
  })
  const passing = result.windows.filter((window) => window.latency.p99 <= P99_BOUND_MS && window.deliveries >= window.expectedDeliveries)
  const best = passing.at(-1)
  run.values['saturation.rate'] = best?.totalRate ?? 0
  if (best) run.values['saturation.gen'] = best.generatorCpuPercent
  run.details.saturation = result.windows.map((window) => ({
    totalRate: window.totalRate,
    latency: window.latency,
    cpuPerDeliveryUs: window.cpuPerDeliveryUs,
    generatorCpuPercent: window.generatorCpuPercent,
    otherCpuPercent: window.otherCpuPercent,
    deliveries: window.deliveries,
    expectedDeliveries: window.expectedDeliveries,
  }))
  const steps = result.windows.map((window) => `${window.totalRate}/s → p99 ${window.latency.p99.toFixed(1)} ms`).join(', ')
  run.notes.push(`saturation ramp: ${steps}`)
  for (const window of result.windows) {
    if (window.otherCpuPercent > OTHER_LOAD_PERCENT) {
      run.notes.push(`saturation step ${window.totalRate}/s: other processes used ${window.otherCpuPercent.toFixed(0)}% of a core (the machine was not quiet)`)
    }
  }
  if (best && best.ratePerWriter === params.rates.at(-1)) run.notes.push(`saturation: every step passed; ${best.totalRate}/s is a lower bound`)
  if (best && best.generatorCpuPercent > GENERATOR_SATURATED_PERCENT) {
    run.notes.push(`saturation: the load generator was saturated (${best.generatorCpuPercent.toFixed(0)}% of a core), so the rate is a lower bound`)
  }
}
