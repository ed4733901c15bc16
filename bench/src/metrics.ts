/** What a scenario measures: named numbers per run, described once for the report. */

export interface MetricDef {
  id: string
  label: string
  unit: string
  /** Which way is better; `info` rows get no ratio. */
  better: 'lower' | 'higher' | 'info'
  digits: number
  /** Only Accord has it (acknowledgements, restarts from disk). */
  accordOnly?: boolean
}

/** One server's run of one scenario: metric values by id, and remarks for the report. */
export interface RunMetrics {
  values: Record<string, number>
  notes: string[]
  /** Raw facts kept in the JSON only (e.g. frames received by type). */
  details: Record<string, unknown>
}

export const emptyRun = (): RunMetrics => ({ values: {}, notes: [], details: {} })
