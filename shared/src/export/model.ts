import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { isAllowedLink } from '../links.js'
import type { SignatoryLine } from '../schema/mou.js'
import { clauseNumberById, numberClauses } from '../schema/numbering.js'
import { variableLabel } from '../templates/variables.js'

/**
 * What every export says, whatever its format: the document as a small typed tree with the
 * clause numbers computed (by numberClauses, as the editor shows them), the variables filled
 * in and the cross-references resolved. Renderers only decide how it looks.
 */
export interface ExportModel {
  title: string
  blocks: ExportBlock[]
  /** The variables used but not set, in order of first use (each marked where it occurs). */
  unsetVariables: UnsetVariable[]
  /** The comments appendix, when asked for and when the document has comment threads. */
  threads: ExportThread[] | null
  /** Set when the model is a redline: the two versions compared, as named in the history. */
  redline?: { from: string; to: string }
}

export interface UnsetVariable {
  key: string
  label: string
}

/** One stretch of text with the same marks. `text` may hold '\n' for a line break. */
export interface ExportRun {
  text: string
  bold: boolean
  italic: boolean
  underline: boolean
  strike: boolean
  /** Only http, https and mailto targets survive; anything else keeps its text and loses the link. */
  link: string | null
  /** A variable's placeholder (unset) or a cross-reference to a deleted clause: shown marked. */
  unresolved: boolean
  /** In a redline: this run was inserted or deleted between the two versions, by whom and when. */
  change?: RunChange
}

/** One attributed change in a redline. */
export interface RunChange {
  kind: 'insert' | 'delete'
  /** Display name, or "Unknown" for text whose author was not recorded. */
  author: string
  username: string | null
  affiliation: string
  /** ISO 8601 */
  at: string
}

/** In a redline: this clause was moved here, unchanged, from where it was numbered `from`. */
export interface ClauseMove {
  from: string
  change: RunChange
}

/** The mark a redline's ProseMirror document carries on changed text (attrs: { change: RunChange }). */
export const REDLINE_MARK = 'redline'

export type ExportBlock =
  | { type: 'heading'; level: number; runs: ExportRun[] }
  | { type: 'paragraph'; runs: ExportRun[] }
  | { type: 'quote'; blocks: ExportBlock[] }
  | { type: 'list'; ordered: boolean; start: number; items: ExportBlock[][] }
  | { type: 'clause'; number: string; depth: number; title: ExportRun[]; blocks: ExportBlock[]; moved?: ClauseMove }
  | { type: 'signatures'; signatories: ExportSignatory[] }

export interface ExportSignatory {
  party: string
  name: string
  title: string
}

/**
 * The seam for the comments appendix: comment threads are stored elsewhere; whoever owns them
 * passes them in this shape and every renderer prints them after the text.
 */
export interface ExportThread {
  quote: string
  resolved: boolean
  comments: { author: string; affiliation: string; date: string; text: string }[]
}

/** How a clause title is numbered, exactly as the editor draws it ("2.1."). */
export const clauseLabel = (number: string): string => `${number}.`
export const crossReferenceText = (number: string | undefined): string =>
  number ? `Section ${number}` : 'Section ? (deleted clause)'
export const unsetVariableText = (key: string): string => `[${variableLabel(key)} — not set]`

/**
 * Characters no XML 1.0 document (DOCX) may hold, and lone surrogates: replaced by U+FFFD in
 * every format alike, so the formats still agree (and share one fingerprint).
 */
const UNREPRESENTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
export const cleanText = (text: string): string => text.replace(UNREPRESENTABLE, '\ufffd').replace(/\r\n?/g, '\n')

export interface ExportInput {
  title: string
  doc: ProseMirrorNode
  variables: ReadonlyMap<string, string>
  threads?: ExportThread[] | null
  /**
   * Clause numbers by clause id, instead of numbering `doc` itself: a redline's document holds
   * the clauses of two versions, and each keeps the number it had (in the newer one if in both).
   */
  clauseNumbers?: ReadonlyMap<string, string>
  /** Clauses a redline shows as moved, by clause id. */
  clauseMoves?: ReadonlyMap<string, ClauseMove>
}

export function buildExportModel({ title, doc, variables, threads = null, clauseNumbers, clauseMoves }: ExportInput): ExportModel {
  const numbered = numberClauses(doc)
  const numbers = new Map(numbered.map((clause) => [clause.pos, clauseNumbers?.get(clause.id) ?? clause.number]))
  const numberById = clauseNumbers ?? clauseNumberById(doc)
  const unset = new Map<string, UnsetVariable>()

  const valueOf = (key: string): string | null => {
    const value = variables.get(key)?.trim()
    if (value) return cleanText(value)
    if (!unset.has(key)) unset.set(key, { key, label: variableLabel(key) })
    return null
  }

  const runsOf = (parent: ProseMirrorNode): ExportRun[] => {
    const runs: ExportRun[] = []
    parent.forEach((child) => {
      const marks = { bold: false, italic: false, underline: false, strike: false, link: null as string | null }
      let change: RunChange | undefined
      for (const mark of child.marks) {
        if (mark.type.name === REDLINE_MARK) change = mark.attrs.change as RunChange
        else if (mark.type.name === 'bold') marks.bold = true
        else if (mark.type.name === 'italic') marks.italic = true
        else if (mark.type.name === 'underline') marks.underline = true
        else if (mark.type.name === 'strike') marks.strike = true
        else if (mark.type.name === 'link') {
          const href = String(mark.attrs.href ?? '')
          marks.link = isAllowedLink(href) ? href : null
        }
      }
      let text: string
      let unresolved = false
      switch (child.type.name) {
        case 'text':
          text = cleanText(child.text ?? '')
          break
        case 'hardBreak':
          text = '\n'
          break
        case 'variable': {
          const key = String(child.attrs.key ?? '')
          const value = valueOf(key)
          text = value ?? unsetVariableText(key)
          unresolved = value === null
          break
        }
        case 'crossReference': {
          const number = numberById.get(String(child.attrs.clauseId ?? ''))
          text = crossReferenceText(number)
          unresolved = number === undefined
          break
        }
        default:
          text = cleanText(child.textContent)
      }
      if (!text) return
      const run: ExportRun = { text, ...marks, unresolved, ...(change ? { change } : {}) }
      const last = runs.at(-1)
      if (last && sameLook(last, run)) last.text += run.text
      else runs.push(run)
    })
    return runs
  }

  const fill = (line: string): string =>
    cleanText(line).replace(/\{\{([a-zA-Z][a-zA-Z0-9]*)\}\}/g, (_match, key: string) => valueOf(key) ?? unsetVariableText(key))

  /** `children` with their positions in the document (numberClauses keys clauses by position). */
  const childrenOf = (parent: ProseMirrorNode, contentPos: number): [ProseMirrorNode, number][] => {
    const children: [ProseMirrorNode, number][] = []
    parent.forEach((child, offset) => children.push([child, contentPos + offset]))
    return children
  }

  const blocksOf = (children: readonly [ProseMirrorNode, number][]): ExportBlock[] => {
    const blocks: ExportBlock[] = []
    for (const [child, pos] of children) {
      switch (child.type.name) {
        case 'heading':
          blocks.push({ type: 'heading', level: Number(child.attrs.level) || 1, runs: runsOf(child) })
          break
        case 'paragraph':
          blocks.push({ type: 'paragraph', runs: runsOf(child) })
          break
        case 'blockquote':
          blocks.push({ type: 'quote', blocks: blocksOf(childrenOf(child, pos + 1)) })
          break
        case 'bulletList':
        case 'orderedList': {
          const items = childrenOf(child, pos + 1).map(([item, itemPos]) => blocksOf(childrenOf(item, itemPos + 1)))
          const ordered = child.type.name === 'orderedList'
          blocks.push({ type: 'list', ordered, start: ordered ? Number(child.attrs.start) || 1 : 1, items })
          break
        }
        case 'clause': {
          const number = numbers.get(pos) ?? '?'
          const title = child.firstChild ? runsOf(child.firstChild) : []
          const body = childrenOf(child, pos + 1).filter(([inner]) => inner.type.name !== 'clauseTitle')
          const moved = clauseMoves?.get(String(child.attrs.id ?? ''))
          blocks.push({ type: 'clause', number, depth: number.split('.').length - 1, title, blocks: blocksOf(body), ...(moved ? { moved } : {}) })
          break
        }
        case 'signatureBlock': {
          const lines = (Array.isArray(child.attrs.signatories) ? child.attrs.signatories : []) as SignatoryLine[]
          blocks.push({
            type: 'signatures',
            signatories: lines.map((line) => ({
              party: fill(String(line.party ?? '')),
              name: fill(String(line.name ?? '')),
              title: fill(String(line.title ?? '')),
            })),
          })
          break
        }
        default:
          if (child.isTextblock) blocks.push({ type: 'paragraph', runs: runsOf(child) })
          else if (child.childCount > 0) blocks.push(...blocksOf(childrenOf(child, pos + 1)))
      }
    }
    return blocks
  }

  const blocks = blocksOf(childrenOf(doc, 0))
  return { title: cleanText(title), blocks, unsetVariables: [...unset.values()], threads }
}

/** Whether two runs look alike (marks, link, change) and so can be one run. */
export function sameLook(a: ExportRun, b: ExportRun): boolean {
  return (
    a.bold === b.bold &&
    a.italic === b.italic &&
    a.underline === b.underline &&
    a.strike === b.strike &&
    a.link === b.link &&
    a.unresolved === b.unresolved &&
    sameChange(a.change, b.change)
  )
}

/** One person's typing is one change however many keystrokes it took; it keeps its first time. */
const sameChange = (a: RunChange | undefined, b: RunChange | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.kind === b.kind && a.username === b.username && a.author === b.author)

export const runsText = (runs: readonly ExportRun[]): string => runs.map((run) => run.text).join('')

/** A signatory's lines as the editor shows them, with room to sign and date. */
export function signatoryLines(signatory: ExportSignatory): string[] {
  return [`For ${signatory.party}`, 'Signature: ______________________________', `Name: ${signatory.name}`, `Title: ${signatory.title}`, 'Date: ______________']
}

/**
 * The canonical plain text of the model: what the fingerprint is a hash of, and the body of the
 * plain-text export. Marks and links do not change it; words, numbers and order do.
 */
export function canonicalText(model: ExportModel): string {
  const lines: string[] = [model.title, '']
  const indent = (depth: number) => '    '.repeat(depth)
  const write = (blocks: readonly ExportBlock[], depth: number) => {
    for (const block of blocks) {
      switch (block.type) {
        case 'heading':
        case 'paragraph':
          lines.push(...runsText(block.runs).split('\n').map((line) => indent(depth) + line), '')
          break
        case 'quote':
          write(block.blocks, depth + 1)
          break
        case 'list':
          block.items.forEach((item, index) => {
            const marker = block.ordered ? `${block.start + index}.` : '-'
            const start = lines.length
            write(item, depth + 1)
            const first = lines[start]
            if (first !== undefined) lines[start] = indent(depth) + `${marker} `.padEnd(4) + first.slice(indent(depth + 1).length)
          })
          break
        case 'clause':
          lines.push(`${indent(block.depth)}${clauseLabel(block.number)} ${runsText(block.title)}`.trimEnd(), '')
          write(block.blocks, block.depth + 1)
          break
        case 'signatures':
          for (const signatory of block.signatories) lines.push(...signatoryLines(signatory).map((line) => indent(depth) + line), '')
          break
      }
    }
  }
  write(model.blocks, 0)
  while (lines.at(-1) === '') lines.pop()
  return lines.join('\n') + '\n'
}

/** One change of a redline, where it is: `clause` is the clause's number, null outside clauses. */
export interface ListedChange {
  text: string
  change: RunChange
  clause: string | null
}

/** Every attributed change of a redline, in document order. */
export function changeList(model: ExportModel): ListedChange[] {
  const out: ListedChange[] = []
  const visitRuns = (runs: readonly ExportRun[], clause: string | null) => {
    for (const run of runs) if (run.change) out.push({ text: run.text, change: run.change, clause })
  }
  const visit = (blocks: readonly ExportBlock[], clause: string | null) => {
    for (const block of blocks) {
      if (block.type === 'heading' || block.type === 'paragraph') visitRuns(block.runs, clause)
      else if (block.type === 'quote') visit(block.blocks, clause)
      else if (block.type === 'list') block.items.forEach((item) => visit(item, clause))
      else if (block.type === 'clause') {
        visitRuns(block.title, block.number)
        visit(block.blocks, block.number)
      }
    }
  }
  visit(model.blocks, null)
  return out
}

/** "Inserted by Maria Ortega (Board member), 2026-06-04 14:02 UTC": how every format names a change. */
export function describeChange(change: RunChange): string {
  const who = change.affiliation ? `${change.author} (${change.affiliation})` : change.author
  const when = change.at.slice(0, 16).replace('T', ' ')
  return `${change.kind === 'insert' ? 'Inserted' : 'Deleted'} by ${who}, ${when} UTC`
}

/** A clause a redline shows as moved, with its number now. */
export interface ListedMove {
  number: string
  move: ClauseMove
}

/** The clauses a redline shows as moved, in document order. */
export function moveList(model: ExportModel): ListedMove[] {
  const out: ListedMove[] = []
  const visit = (blocks: readonly ExportBlock[]) => {
    for (const block of blocks) {
      if (block.type === 'clause') {
        if (block.moved) out.push({ number: block.number, move: block.moved })
        visit(block.blocks)
      } else if (block.type === 'quote') visit(block.blocks)
      else if (block.type === 'list') block.items.forEach(visit)
    }
  }
  visit(model.blocks)
  return out
}

/** "Moved here from Section 3 by Officer Lee (Police liaison), 2026-06-04 14:02 UTC" */
export function describeMove(move: ClauseMove): string {
  return `Moved here from Section ${move.from}${describeChange(move.change).replace(/^Inserted/, '')}`
}

/** The line under a redline's title, in every format. */
export const describeRedline = (redline: { from: string; to: string }): string =>
  `Redline: changes from “${redline.from}” to “${redline.to}”. Inserted text is underlined, deleted text struck through.`

/** The appendix as plain lines (shared by the plain-text and Markdown renderers' wording). */
export function threadHeading(thread: ExportThread, index: number): string {
  return `Thread ${index + 1} (${thread.resolved ? 'resolved' : 'open'}) on “${thread.quote}”`
}
