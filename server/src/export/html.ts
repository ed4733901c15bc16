import { createHash } from 'node:crypto'
import { changeList, clauseLabel, describeChange, describeMove, describeRedline, moveList, signatoryLines, threadHeading, type ExportBlock, type ExportModel, type ExportRun } from '@accord/shared/export'
import { footerText, type ExportStamp } from './stamp.js'

/** The one stylesheet, inline so the file is self-contained; allowed by hash in EXPORT_HTML_CSP. */
const CSS = `
:root { color-scheme: light; }
body { margin: 0 auto; max-width: 46rem; padding: 2rem 1.25rem 3rem; font: 16px/1.6 Georgia, 'DejaVu Serif', serif; color: #111827; background: #fff; }
header.export-header, footer.export-footer { font: 13px/1.4 system-ui, sans-serif; color: #4b5563; }
header.export-header { display: flex; justify-content: space-between; gap: 1rem; border-bottom: 1px solid #d1d5db; padding-bottom: .5rem; margin-bottom: 1.5rem; }
footer.export-footer { border-top: 1px solid #d1d5db; margin-top: 2.5rem; padding-top: .5rem; }
.stamp { font-weight: 700; letter-spacing: .08em; }
.draft .stamp { color: #b45309; }
.final .stamp { color: #047857; }
h1 { font-size: 1.8rem; line-height: 1.25; margin: 0 0 1.25rem; }
h2, h3, h4, h5, h6 { line-height: 1.3; margin: 1.4em 0 .5em; }
.clause > .clause-title { display: flex; gap: .6em; font-size: 1.1rem; }
.clause .clause { margin-left: 1.75rem; }
.clause .clause > .clause-title { font-size: 1rem; }
.clause-number { flex: none; min-width: 1.6em; font-variant-numeric: tabular-nums; }
p, li, h1, h2, h3, h4, h5, h6, blockquote { unicode-bidi: plaintext; overflow-wrap: anywhere; }
blockquote { margin: 1em 0; padding-left: 1em; border-left: 3px solid #d1d5db; color: #374151; }
.unresolved { background: #fff4d6; color: #7c4a03; font-style: italic; }
.signatures { display: flex; flex-wrap: wrap; gap: 2rem; margin-top: 2.5rem; }
.signatory { flex: 1 1 16rem; }
.signatory p { margin: 0 0 .6rem; }
a { color: #1d4ed8; }
ins.change { color: #047857; background: #ecfdf5; text-decoration: underline; text-decoration-thickness: 2px; }
del.change { color: #b91c1c; background: #fef2f2; text-decoration: line-through; }
del.change + ins.change, ins.change + del.change { margin-left: .2em; }
.redline-note { font: 14px/1.5 system-ui, sans-serif; color: #4b5563; }
.changes { font: 14px/1.5 system-ui, sans-serif; border-bottom: 1px solid #d1d5db; margin-bottom: 2rem; padding-bottom: 1rem; }
.changes h2 { font-size: 1.05rem; margin: 0 0 .5rem; }
.changes a { color: inherit; }
.moved-note { font: italic 14px/1.5 system-ui, sans-serif; color: #6d28d9; margin: -.25rem 0 .75rem; }
:target { outline: 2px solid #1d4ed8; outline-offset: 2px; }
.changes li { margin-bottom: .5rem; }
.changes .who { font-weight: 600; }
.draft-mark { position: fixed; inset: 0; display: flex; align-items: center; justify-content: center; pointer-events: none; font: 700 7rem/1 system-ui, sans-serif; color: rgba(180, 83, 9, .08); transform: rotate(-30deg); }
@page { margin: 2cm; @bottom-right { content: counter(page) " / " counter(pages); font: 10px system-ui, sans-serif; } }
@media print { body { max-width: none; padding: 0; } a { color: inherit; } }
`

/** Served with every HTML export (and its preview): no scripts, no requests, only this stylesheet. */
export const EXPORT_HTML_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'`,
  'sandbox',
  "frame-ancestors 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')

/** A self-contained page: every piece of text is escaped; links only to http(s) and mailto. */
export function renderHtml(model: ExportModel, stamp: ExportStamp): Uint8Array {
  const state = stamp.final ? 'final' : 'draft'
  const parts = [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escape(model.title)} - ${escape(stamp.versionLabel)}</title>`,
    `<style>${CSS}</style></head>`,
    `<body class="${state}">`,
    stamp.final ? '' : '<div class="draft-mark" aria-hidden="true">DRAFT</div>',
    `<header class="export-header"><span>${escape(model.title)}</span><span class="stamp">${stamp.final ? 'FINAL' : 'DRAFT'}</span></header>`,
    `<main><h1>${escape(model.title)}</h1>`,
    model.redline ? `<p class="redline-note">${escape(describeRedline(model.redline))}</p>` : '',
    model.redline ? changesSection(model) : '',
    blocks(model.blocks, { next: 1 }),
    '</main>',
    appendix(model),
    `<footer class="export-footer">${escape(footerText(stamp))}</footer>`,
    '</body></html>',
    '',
  ]
  return new TextEncoder().encode(parts.join('\n'))
}

/** `changes` numbers a redline's changes in document order, as `changeList` lists them, for links from the list. */
function blocks(list: readonly ExportBlock[], changes: { next: number }): string {
  return list
    .map((block) => {
      switch (block.type) {
        case 'heading': {
          const level = Math.min(block.level + 1, 6)
          return `<h${level}>${runs(block.runs, changes)}</h${level}>`
        }
        case 'paragraph':
          return `<p>${runs(block.runs, changes)}</p>`
        case 'quote':
          return `<blockquote>${blocks(block.blocks, changes)}</blockquote>`
        case 'list': {
          const items = block.items.map((item) => `<li>${blocks(item, changes)}</li>`).join('')
          return block.ordered ? `<ol${block.start !== 1 ? ` start="${block.start}"` : ''}>${items}</ol>` : `<ul>${items}</ul>`
        }
        case 'clause': {
          const level = Math.min(block.depth + 2, 6)
          return (
            `<section class="clause" id="section-${escape(block.number)}">` +
            `<h${level} class="clause-title"><span class="clause-number">${escape(clauseLabel(block.number))}</span> <span>${runs(block.title, changes)}</span></h${level}>` +
            (block.moved ? `<p class="moved-note">${escape(describeMove(block.moved))}</p>` : '') +
            `${blocks(block.blocks, changes)}</section>`
          )
        }
        case 'signatures':
          return `<div class="signatures">${block.signatories
            .map((signatory) => `<div class="signatory">${signatoryLines(signatory).map((line) => `<p>${escape(line)}</p>`).join('')}</div>`)
            .join('')}</div>`
      }
    })
    .join('\n')
}

function runs(list: readonly ExportRun[], changes: { next: number }): string {
  return list
    .map((run) => {
      let html = escape(run.text).replaceAll('\n', '<br>')
      if (run.bold) html = `<strong>${html}</strong>`
      if (run.italic) html = `<em>${html}</em>`
      if (run.underline) html = `<u>${html}</u>`
      if (run.strike) html = `<s>${html}</s>`
      if (run.unresolved) html = `<span class="unresolved">${html}</span>`
      if (run.link) html = `<a href="${escape(run.link)}" rel="noopener noreferrer nofollow">${html}</a>`
      if (run.change) {
        const tag = run.change.kind === 'insert' ? 'ins' : 'del'
        const id = `change-${changes.next++}`
        html = `<${tag} class="change" id="${id}" title="${escape(describeChange(run.change))}" datetime="${escape(run.change.at)}">${html}</${tag}>`
      }
      return html
    })
    .join('')
}

/** After a redline's text: every change with its author and time, readable without hovering. */
function changesSection(model: ExportModel): string {
  const changes = changeList(model)
  const items = changes.map(({ text, change, clause }, index) => {
    const tag = change.kind === 'insert' ? 'ins' : 'del'
    const where = clause ? `, Section ${escape(clause)}` : ''
    return `<li data-kind="${change.kind}"><span class="who">${escape(describeChange(change))}</span>${where}: <a href="#change-${index + 1}"><${tag} class="change">${escape(text)}</${tag}></a></li>`
  })
  const moves = moveList(model).map(
    ({ number, move }) => `<li data-kind="move"><span class="who">${escape(describeMove(move))}</span>: <a href="#section-${escape(number)}">now Section ${escape(number)}</a></li>`,
  )
  return `<section class="changes" aria-label="Changes"><h2>Changes (${changes.length + moves.length})</h2>${
    items.length + moves.length > 0 ? `<ol>${moves.join('')}${items.join('')}</ol>` : '<p>No changes.</p>'
  }</section>`
}

function appendix(model: ExportModel): string {
  if (!model.threads || model.threads.length === 0) return ''
  const threads = model.threads.map(
    (thread, index) =>
      `<section><h3>${escape(threadHeading(thread, index))}</h3><ul>${thread.comments
        .map((comment) => `<li>${escape(`${comment.author} (${comment.affiliation}), ${comment.date}: ${comment.text}`)}</li>`)
        .join('')}</ul></section>`,
  )
  return `<aside><h2>Appendix: comments</h2>${threads.join('')}</aside>`
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!)
