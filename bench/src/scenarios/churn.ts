/** Scenario 4: convergence under churn; see load/churn.ts. */
import type { Generator } from '../generator.js'
import type { MetricDef, RunMetrics } from '../metrics.js'
import type { BenchServer, Seat } from '../servers/types.js'

export interface ChurnParams {
  writers: number
  ratePerWriter: number
  durationMs: number
  meanUpMs: number
  downMs: [number, number]
  convergeTimeoutMs: number
}

export function churnMetrics(params: ChurnParams): MetricDef[] {
  const what = `churn, ${params.writers} writers × ${params.ratePerWriter}/s dropping every ~${params.meanUpMs / 1000} s`
  return [
    { id: 'churn.converge', label: `${what}: typing stopped → all copies and a late joiner identical`, unit: 'ms', better: 'lower', digits: 0 },
    { id: 'churn.late', label: `${what}: late joiner synced`, unit: 'ms', better: 'lower', digits: 1 },
    { id: 'churn.converged', label: `${what}: converged (1 = yes)`, unit: '', better: 'info', digits: 0 },
    { id: 'churn.drops', label: `${what}: connection drops`, unit: 'drops', better: 'info', digits: 0 },
  ]
}

export async function runChurnScenario(server: BenchServer, generator: Generator, params: ChurnParams, run: RunMetrics): Promise<void> {
  const seats: Seat[] = Array.from({ length: params.writers + 1 }, (_, index) => ({ role: 'drafter' as const, account: index % 5 }))
  const [room] = await server.rooms(1, seats, 'Churn')
  const result = await generator.call(
    'churn',
    {
      writers: room!.slice(0, params.writers),
      lateJoiner: room![params.writers]!,
      ratePerWriter: params.ratePerWriter,
      durationMs: params.durationMs,
      meanUpMs: params.meanUpMs,
      downMs: params.downMs,
      seed: 9,
      convergeTimeoutMs: params.convergeTimeoutMs,
    },
    params.durationMs + params.convergeTimeoutMs + 60_000,
  )
  Object.assign(run.values, {
    'churn.converge': result.converged ? result.convergeMs : NaN,
    'churn.late': result.lateJoinMs,
    'churn.converged': result.converged ? 1 : 0,
    'churn.drops': result.drops,
  })
  run.details.churn = result
  if (!result.converged) run.notes.push(`churn: copies still differed ${params.convergeTimeoutMs} ms after typing stopped`)
  // Accord refuses an update that builds on text it lacks and asks for a resend; count them.
  if (result.refusals > 0) run.notes.push(`churn: ${result.refusals} writes refused (and resent) during churn`)
}
