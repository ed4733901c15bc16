/**
 * The table: one column per server (median and min–max across repetitions), then each peer's
 * median divided by Accord's. Printed as text and written as Markdown and JSON.
 */
import type { MetricDef } from './metrics.js'
import { SERVER_KINDS, SERVER_LABELS, type ServerKind } from './servers/types.js'
import { spread, type Spread } from './stats.js'

/** Per metric id, per server: one value per repetition. */
export type Collected = Record<string, Partial<Record<ServerKind, number[]>>>

export interface NotMeasured {
  label: string
  reason: string
}

export interface ReportRow {
  id: string
  label: string
  unit: string
  better: MetricDef['better']
  servers: Partial<Record<ServerKind, Spread>>
  /** peer median / Accord median. */
  ratios: Partial<Record<Exclude<ServerKind, 'accord'>, number>>
}

const PEERS = SERVER_KINDS.filter((kind): kind is Exclude<ServerKind, 'accord'> => kind !== 'accord')

export function buildRows(defs: readonly MetricDef[], collected: Collected): ReportRow[] {
  return defs.flatMap((def) => {
    const values = collected[def.id]
    if (!values) return []
    const servers: ReportRow['servers'] = {}
    for (const kind of SERVER_KINDS) {
      const summary = spread(values[kind] ?? [])
      if (summary) servers[kind] = summary
    }
    const ratios: ReportRow['ratios'] = {}
    const accord = servers.accord?.median
    if (def.better !== 'info' && accord !== undefined && accord !== 0) {
      for (const peer of PEERS) {
        const median = servers[peer]?.median
        if (median !== undefined) ratios[peer] = median / accord
      }
    }
    return [{ id: def.id, label: def.label, unit: def.unit, better: def.better, servers, ratios }]
  })
}

function formatNumber(value: number, digits: number): string {
  if (!Number.isFinite(value)) return 'n/a'
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

function cell(summary: Spread | undefined, digits: number): string {
  if (!summary) return '—'
  const median = formatNumber(summary.median, digits)
  if (summary.n < 2 || summary.min === summary.max) return median
  return `${median} (${formatNumber(summary.min, digits)}–${formatNumber(summary.max, digits)})`
}

const ratioCell = (ratio: number | undefined) => (ratio === undefined ? '—' : `${ratio.toFixed(2)}×`)

function tableCells(rows: readonly ReportRow[], defs: readonly MetricDef[], notMeasured: readonly NotMeasured[]): string[][] {
  const digits = new Map(defs.map((def) => [def.id, def.digits]))
  const body = rows.map((row) => [
    `${row.label}${row.unit ? ` (${row.unit}${row.better === 'higher' ? ', higher is better' : ''})` : ''}`,
    ...SERVER_KINDS.map((kind) => cell(row.servers[kind], digits.get(row.id) ?? 1)),
    ...PEERS.map((peer) => ratioCell(row.ratios[peer])),
  ])
  const missing = notMeasured.map((entry) => [`${entry.label}: not measured yet (${entry.reason})`, ...SERVER_KINDS.map(() => '—'), ...PEERS.map(() => '—')])
  return [...body, ...missing]
}

const header = () => ['metric', ...SERVER_KINDS.map((kind) => SERVER_LABELS[kind]), ...PEERS.map((peer) => `${SERVER_LABELS[peer]}/Accord`)]

export function markdownTable(rows: readonly ReportRow[], defs: readonly MetricDef[], notMeasured: readonly NotMeasured[]): string {
  const lines = [header(), ...tableCells(rows, defs, notMeasured)].map((cells) => `| ${cells.map((text) => text.replace(/\|/g, '\\|')).join(' | ')} |`)
  lines.splice(1, 0, `|${header().map((_, index) => (index === 0 ? ' --- ' : ' ---: ')).join('|')}|`)
  return lines.join('\n')
}

/** A plain-text table for the terminal, columns padded. */
export function textTable(rows: readonly ReportRow[], defs: readonly MetricDef[], notMeasured: readonly NotMeasured[]): string {
  const all = [header(), ...tableCells(rows, defs, notMeasured)]
  const widths = all[0]!.map((_, column) => Math.max(...all.map((cells) => cells[column]!.length)))
  const line = (cells: string[]) => cells.map((text, column) => (column === 0 ? text.padEnd(widths[column]!) : text.padStart(widths[column]!))).join('  ')
  return [line(all[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...all.slice(1).map(line)].join('\n')
}
