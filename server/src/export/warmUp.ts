import type { ExportBlock, ExportModel, ExportRun } from '@accord/shared/export'
import { renderDocx } from './docx.js'
import { renderPdf } from './pdf.js'
import type { ExportStamp } from './stamp.js'

/**
 * A new export worker renders a sample agreement a few times once it is idle, so the clerk's
 * next export finds the DOCX and PDF code compiled and the fonts parsed: measured on a
 * 100,000-word MOU, a PDF took about 1.4 s in a fresh worker (its start included) and 0.25 s in
 * a warmed one (docs/INTERNALS.md, "Exports and the Final"). It stops as soon as a real export
 * arrives, which warms it as well.
 */
const ROUNDS = 8
const CLAUSES = 20

const WORDS = 'the district and the department agree that officers enter a school only when the principal reports a crime and each party shall review this memorandum every year'.split(' ')

const run = (text: string, marks: Partial<ExportRun> = {}): ExportRun => ({
  text,
  bold: false,
  italic: false,
  underline: false,
  strike: false,
  link: null,
  unresolved: false,
  ...marks,
})

function sentence(seed: number, words: number): string {
  return Array.from({ length: words }, (_, index) => WORDS[(seed * 7 + index * 3) % WORDS.length]).join(' ')
}

function sampleModel(): ExportModel {
  const blocks: ExportBlock[] = [{ type: 'heading', level: 1, runs: [run('Memorandum of understanding')] }]
  for (let clause = 1; clause <= CLAUSES; clause++) {
    const paragraph: ExportBlock = {
      type: 'paragraph',
      runs: [run(sentence(clause, 40)), run(' agreed ', { bold: true }), run(sentence(clause + 1, 30), { italic: true }), run(' policy', { link: 'https://example.org' }), run('.')],
    }
    const list: ExportBlock = { type: 'list', ordered: clause % 2 === 0, start: 1, items: [[{ type: 'paragraph', runs: [run(sentence(clause + 2, 20))] }], [{ type: 'paragraph', runs: [run(sentence(clause + 3, 20))] }]] }
    blocks.push({ type: 'clause', number: String(clause), depth: 0, title: [run(`Clause ${clause}`)], blocks: [paragraph, list, { type: 'quote', blocks: [paragraph] }] })
  }
  blocks.push({ type: 'signatures', signatories: [{ party: 'District', name: 'A. Person', title: 'Superintendent' }] })
  return { title: 'Sample', blocks, unsetVariables: [], threads: null }
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

export async function warmUp(interrupted: () => boolean): Promise<void> {
  const model = sampleModel()
  const stamp: ExportStamp = { date: '2026-01-01', final: false, versionLabel: 'sample', fingerprint: 'sample' }
  for (let round = 0; round < ROUNDS; round++) {
    await nextTurn()
    if (interrupted()) return
    await renderPdf(model, stamp)
    if (round % 2 === 1) continue
    await nextTurn()
    if (interrupted()) return
    await renderDocx(model, stamp)
  }
}
