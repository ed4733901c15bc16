/** Issue 4's targets, judged on this run's medians (Accord against the peers measured beside it). */
import type { ReportRow } from './report.js'

export interface Verdict {
  target: string
  status: 'met' | 'missed' | 'not measured'
  detail: string
}

type Rows = ReadonlyMap<string, ReportRow>

const median = (rows: Rows, id: string, kind: 'accord' | 'reference' | 'hocuspocus') => rows.get(id)?.servers[kind]?.median

const fmt = (value: number | undefined, unit: string) => (value === undefined ? 'n/a' : `${value.toFixed(1)} ${unit}`)

function noWorseThanBestPeer(rows: Rows, id: string, target: string): Verdict {
  const accord = median(rows, id, 'accord')
  const peers = [median(rows, id, 'reference'), median(rows, id, 'hocuspocus')].filter((value): value is number => value !== undefined)
  if (accord === undefined || peers.length === 0) return { target, status: 'not measured', detail: '' }
  const best = Math.min(...peers)
  return { target, status: accord <= best ? 'met' : 'missed', detail: `Accord ${fmt(accord, 'ms')}, best peer ${fmt(best, 'ms')}` }
}

function atMost(rows: Rows, id: string, bound: number, unit: string, target: string): Verdict {
  const accord = median(rows, id, 'accord')
  if (accord === undefined) return { target, status: 'not measured', detail: '' }
  return { target, status: accord <= bound ? 'met' : 'missed', detail: `Accord ${fmt(accord, unit)} (bound ${bound} ${unit})` }
}

/** Typing against its bound, with what Chromium alone took to type into the same page (its floor). */
function typing(rows: Rows, prefix: string, target: string): Verdict {
  const verdict = atMost(rows, `${prefix}.p95`, 16, 'ms', target)
  const floor = median(rows, `${prefix}.floor.p95`, 'accord')
  if (verdict.status !== 'not measured' && floor !== undefined) verdict.detail += `; the same page without editor code ${fmt(floor, 'ms')}`
  return verdict
}

/**
 * RSS growth can read lower than what the documents hold (pages freed by the collector, heap
 * headroom reused), even negative; the JS heap growth cannot. Judge on the larger of the two.
 */
function memoryPerDocument(rows: Rows): Verdict {
  const target = 'RSS per idle loaded document at most 100 KB'
  const rss = median(rows, 'many.idle', 'accord')
  const heap = median(rows, 'many.heap', 'accord')
  if (rss === undefined) return { target, status: 'not measured', detail: '' }
  const judged = Math.max(rss, heap ?? -Infinity)
  const detail = `Accord RSS ${fmt(rss, 'KB')}, JS heap ${fmt(heap, 'KB')} per document; judged on ${fmt(judged, 'KB')} (bound 100 KB)`
  return { target, status: judged <= 100 ? 'met' : 'missed', detail }
}

export function judgeTargets(rowList: readonly ReportRow[]): Verdict[] {
  const rows: Rows = new Map(rowList.map((row) => [row.id, row]))
  const verdicts: Verdict[] = [
    noWorseThanBestPeer(rows, 'fanout.200x2.p99', 'fan-out 200 clients, 2 writers: p99 no worse than the best peer'),
  ]
  for (const id of ['fanout.200x2.cpu', 'fanout.50x20.cpu']) {
    const target = `CPU per delivered edit (${id.split('.')[1]}) at most 0.7× the reference server's`
    const accord = median(rows, id, 'accord')
    const reference = median(rows, id, 'reference')
    verdicts.push(
      accord === undefined || reference === undefined
        ? { target, status: 'not measured', detail: '' }
        : {
            target,
            status: accord <= 0.7 * reference ? 'met' : 'missed',
            detail: `Accord ${fmt(accord, 'µs')}, reference ${fmt(reference, 'µs')} (ratio ${(accord / reference).toFixed(2)})`,
          },
    )
  }
  verdicts.push(
    noWorseThanBestPeer(rows, 'fanout.50x20.p99', 'stress 50 clients, 20 writers: p99 no worse than the best peer'),
    memoryPerDocument(rows),
    atMost(rows, 'cold.reply', 20, 'ms', 'cold load: sync reply within 20 ms of the request, read from SQLite'),
    atMost(rows, 'cold.fresh', 20, 'ms', 'cold load in a just-restarted server: synced within 20 ms'),
    atMost(rows, 'cold.storm', 150, 'ms', 'cold load storm of 20 joiners: last reply within 150 ms'),
    atMost(rows, 'cold.complete', 1, '', 'cold load: no empty or partial reply'),
    atMost(rows, 'durability.200x2.p95', 100, 'ms', 'Saved acknowledgement p95 under 100 ms (200 clients, 2 writers)'),
    atMost(rows, 'durability.50x20.p95', 100, 'ms', 'Saved acknowledgement p95 under 100 ms (stress, 50 clients, 20 writers)'),
    atMost(rows, 'export.docx.ms', 1000, 'ms', 'DOCX export of the 100,000-word MOU under 1 s'),
    atMost(rows, 'export.pdf.ms', 1000, 'ms', 'PDF export of the 100,000-word MOU under 1 s'),
    typing(rows, 'editor', 'typing in the 100,000-word MOU of top-level paragraphs (the worst case): p95 keystroke-to-paint under 16 ms'),
    typing(rows, 'editor.clauses', 'typing in the 100,000-word MOU in clauses, as Accord builds one: p95 keystroke-to-paint under 16 ms'),
  )
  const complete = verdicts.find((verdict) => verdict.target.startsWith('cold load: no empty'))
  if (complete && complete.status !== 'not measured') {
    const value = median(rows, 'cold.complete', 'accord')
    complete.status = value === 1 ? 'met' : 'missed'
    complete.detail = value === 1 ? 'every reply checked complete' : 'an incomplete reply was seen'
  }
  return verdicts
}
