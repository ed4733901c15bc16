import { buildExportModel, REDLINE_MARK, sameLook, type ExportBlock, type ExportModel, type ExportRun, type RunChange } from '@accord/shared/export'
import { clauseNumberById, DOCUMENT_FIELD, documentSchema, VARIABLES_FIELD } from '@accord/shared/schema'
import { Schema, type Mark, type Node as ProseMirrorNode } from '@tiptap/pm/model'
import { yXmlFragmentToProsemirror } from '@tiptap/y-tiptap'
import * as Y from 'yjs'

/** The document schema plus one mark for changed text, so the export model can read a redline. */
const redlineSchema = new Schema({
  nodes: documentSchema.spec.nodes,
  marks: documentSchema.spec.marks.addToEnd(REDLINE_MARK, { attrs: { change: {} }, excludes: '', inclusive: false }),
})

/** Who made the change that inserted or deleted the Yjs id (client, clock). */
export type Attribute = (kind: RunChange['kind'], client: number, clock: number) => RunChange

export interface RedlineInput {
  title: string
  /** The older and the newer state, each one whole Yjs update. */
  from: Uint8Array
  to: Uint8Array
  attribute: Attribute
  /** Only changes for which this holds are marked; the others are shown as made (accepted). */
  include?: (change: RunChange) => boolean
}

/**
 * A redline between two states of one document, as an export model whose changed runs carry
 * their author and time. No text diff is guessed: both states come from one Yjs history, so
 * a character present in both has the same Yjs id in both. Text only in `to` was inserted and
 * text only in `from` deleted, and each Yjs id is attributed from the update log
 * (`document_changes`), so the redline names exactly who typed or removed each run.
 */
export function buildRedline(input: RedlineInput): ExportModel {
  const fromDoc = docOf(input.from)
  const toDoc = docOf(input.to)
  const fromSnapshot = Y.snapshot(fromDoc)
  const toSnapshot = Y.snapshot(toDoc)
  const clauseNumbers = new Map([...numbersOf(fromDoc), ...numbersOf(toDoc)])
  const variables = new Map([...variablesOf(fromDoc), ...variablesOf(toDoc)])
  fromDoc.destroy()
  toDoc.destroy()

  // Both states in one document that keeps deleted content (gc off). The older goes in first:
  // the newer may hold only tombstones for text the older still has.
  const union = new Y.Doc({ gc: false })
  const [older, newer] = contains(toSnapshot, fromSnapshot) ? [input.from, input.to] : [input.to, input.from]
  Y.applyUpdate(union, older)
  Y.applyUpdate(union, newer)

  const cache = new Map<string, RunChange>()
  const changeOf = (kind: RunChange['kind'], id: Y.ID): RunChange => {
    const key = `${kind}:${id.client}:${id.clock}`
    let change = cache.get(key)
    if (!change) cache.set(key, (change = input.attribute(kind, id.client, id.clock)))
    return change
  }
  const changeOfItem = (item: Y.Item): RunChange | null => {
    const inFrom = isVisible(item, fromSnapshot)
    const inTo = isVisible(item, toSnapshot)
    if (inFrom && inTo) return null
    return changeOf(inTo ? 'insert' : 'delete', item.id)
  }
  const marked = (change: RunChange | null): Mark[] => (change ? [redlineSchema.mark(REDLINE_MARK, { change })] : [])

  const childrenOf = (parent: Y.XmlElement | Y.XmlFragment, inherited: RunChange | null): ProseMirrorNode[] => {
    const nodes: ProseMirrorNode[] = []
    for (let item = parent._start; item !== null; item = item.right) {
      if (!(item.content instanceof Y.ContentType)) continue
      if (!isVisible(item, fromSnapshot) && !isVisible(item, toSnapshot)) continue
      const type = item.content.type
      if (type instanceof Y.XmlText) nodes.push(...textNodes(type))
      else if (type instanceof Y.XmlElement) {
        const node = elementNode(type, inherited ?? changeOfItem(item))
        if (node) nodes.push(node)
      }
    }
    return nodes
  }

  const elementNode = (element: Y.XmlElement, change: RunChange | null): ProseMirrorNode | null => {
    const nodeType = redlineSchema.nodes[element.nodeName]
    if (!nodeType) return null
    const attrs = { ...element.getAttributes(fromSnapshot), ...element.getAttributes(toSnapshot) }
    const children = childrenOf(element, change)
    try {
      // Atoms (a variable, a cross-reference) carry the change themselves; text carries its own.
      return nodeType.isInline ? nodeType.create(attrs, null, marked(change)) : nodeType.create(attrs, children)
    } catch {
      return null
    }
  }

  const textNodes = (text: Y.XmlText): ProseMirrorNode[] => {
    const delta = text.toDelta(toSnapshot, fromSnapshot, (kind: 'added' | 'removed', id: Y.ID) =>
      changeOf(kind === 'added' ? 'insert' : 'delete', id),
    ) as { insert: unknown; attributes?: Record<string, unknown> }[]
    const nodes: ProseMirrorNode[] = []
    for (const op of delta) {
      if (typeof op.insert !== 'string' || op.insert === '') continue
      const marks: Mark[] = []
      for (const [key, value] of Object.entries(op.attributes ?? {})) {
        if (key === 'ychange') marks.push(...marked(value as RunChange))
        else {
          const markType = redlineSchema.marks[key.split('--')[0]!]
          if (markType) marks.push(markType.create(value as Record<string, unknown> | null))
        }
      }
      nodes.push(redlineSchema.text(op.insert, marks))
    }
    return nodes
  }

  const content = childrenOf(union.getXmlFragment(DOCUMENT_FIELD), null)
  union.destroy()
  const doc = redlineSchema.topNodeType.create(null, content)
  const model = buildExportModel({ title: input.title, doc, variables, clauseNumbers })
  return { ...model, blocks: tidyBlocks(model.blocks, input.include ?? (() => true)) }
}

function docOf(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  return doc
}

const isVisible = (item: Y.Item, snapshot: Y.Snapshot): boolean =>
  (snapshot.sv.get(item.id.client) ?? 0) > item.id.clock && !Y.isDeleted(snapshot.ds, item.id)

/** Whether `outer` has seen everything `inner` has. */
function contains(outer: Y.Snapshot, inner: Y.Snapshot): boolean {
  for (const [client, clock] of inner.sv) if ((outer.sv.get(client) ?? 0) < clock) return false
  return true
}

function numbersOf(doc: Y.Doc): Map<string, string> {
  return clauseNumberById(yXmlFragmentToProsemirror(documentSchema, doc.getXmlFragment(DOCUMENT_FIELD)))
}

function variablesOf(doc: Y.Doc): Map<string, string> {
  const variables = new Map<string, string>()
  doc.getMap(VARIABLES_FIELD).forEach((value, key) => {
    if (typeof value === 'string') variables.set(key, value)
  })
  return variables
}

/**
 * Applies the person/affiliation filter (a change by someone else is shown as made: its
 * insertion as plain text, its deletion gone) and drops the noise of a restore: text deleted
 * and typed again identically, side by side, is unchanged text.
 */
function tidyBlocks(blocks: readonly ExportBlock[], include: (change: RunChange) => boolean): ExportBlock[] {
  const tidy = (list: readonly ExportBlock[]): ExportBlock[] =>
    list.map((block): ExportBlock => {
      switch (block.type) {
        case 'heading':
        case 'paragraph':
          return { ...block, runs: wholeWords(tidyRuns(block.runs, include)) }
        case 'quote':
          return { ...block, blocks: tidy(block.blocks) }
        case 'list':
          return { ...block, items: block.items.map(tidy) }
        case 'clause':
          return { ...block, title: wholeWords(tidyRuns(block.title, include)), blocks: tidy(block.blocks) }
        case 'signatures':
          return block
      }
    })
  return tidy(blocks)
}

function tidyRuns(runs: readonly ExportRun[], include: (change: RunChange) => boolean): ExportRun[] {
  const kept: ExportRun[] = []
  for (const run of runs) {
    if (run.change && !include(run.change)) {
      if (run.change.kind === 'delete') continue
      const { change: _accepted, ...plain } = run
      kept.push(plain)
      continue
    }
    const last = kept.at(-1)
    if (last?.change && run.change && last.change.kind !== run.change.kind && last.text === run.text) {
      const { change: _same, ...plain } = run
      kept[kept.length - 1] = plain
      continue
    }
    kept.push({ ...run })
  }
  return kept
}

const WORD_END = /[\p{L}\p{N}]+$/u
const WORD_START = /^[\p{L}\p{N}]+/u

/**
 * A replacement that starts or ends inside a word is shown as the whole word replaced
 * ("weekl|y" from "every da|y" reads as "every day" → "weekly"): a restore edits characters,
 * people read words. The letters moved into the change were not typed by anyone; they are
 * shown deleted and inserted under the replacement's own authors.
 */
function wholeWords(runs: ExportRun[]): ExportRun[] {
  const out: ExportRun[] = []
  let index = 0
  while (index < runs.length) {
    if (!runs[index]!.change) {
      out.push(runs[index++]!)
      continue
    }
    let end = index
    while (end < runs.length && runs[end]!.change) end++
    const group = runs.slice(index, end)
    const deleted = group.filter((run) => run.change!.kind === 'delete')
    const inserted = group.filter((run) => run.change!.kind === 'insert')
    const previous = out.at(-1)
    const next = runs[end]
    const leading = deleted.length > 0 && inserted.length > 0 && previous && !previous.change && WORD_START.test(group[0]!.text) ? (previous.text.match(WORD_END)?.[0] ?? '') : ''
    const trailing = deleted.length > 0 && inserted.length > 0 && next && !next.change && WORD_END.test(group.at(-1)!.text) ? (next.text.match(WORD_START)?.[0] ?? '') : ''
    if (!leading && !trailing) {
      out.push(...group)
      index = end
      continue
    }
    if (leading) {
      previous!.text = previous!.text.slice(0, -leading.length)
      if (!previous!.text) out.pop()
    }
    const side = (list: ExportRun[]): ExportRun[] => [
      ...(leading ? [{ ...previous!, text: leading, change: list[0]!.change! }] : []),
      ...list,
      ...(trailing ? [{ ...next!, text: trailing, change: list.at(-1)!.change! }] : []),
    ]
    out.push(...side(deleted), ...side(inserted))
    if (trailing) {
      const rest = next!.text.slice(trailing.length)
      index = end + 1
      if (rest) out.push({ ...next!, text: rest })
    } else {
      index = end
    }
  }
  return out.reduce<ExportRun[]>((merged, run) => {
    const last = merged.at(-1)
    if (last && sameLook(last, run)) merged[merged.length - 1] = { ...last, text: last.text + run.text }
    else merged.push(run)
    return merged
  }, [])
}
