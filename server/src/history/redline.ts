import { buildExportModel, REDLINE_MARK, sameLook, type ClauseMove, type ExportBlock, type ExportModel, type ExportRun, type RunChange } from '@accord/shared/export'
import { clauseNumberById, DOCUMENT_FIELD, documentSchema, VARIABLES_FIELD } from '@accord/shared/schema'
import { Fragment, Schema, type Mark, type Node as ProseMirrorNode } from '@tiptap/pm/model'
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
  const fromNumbers = numbersOf(fromDoc)
  const clauseNumbers = new Map([...fromNumbers, ...numbersOf(toDoc)])
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
        const node = elementNode(type, inherited ?? changeOfItem(item), inherited === null)
        if (node) nodes.push(node)
      }
    }
    return nodes
  }

  /** Clauses inserted or deleted whole, by clause id: a clause in both lists was moved. */
  const wholeClauses = { inserted: new Map<string, { node: ProseMirrorNode; change: RunChange }>(), deleted: new Map<string, ProseMirrorNode>() }

  /** `ownChange`: the element itself was inserted or deleted (not only as part of its parent). */
  const elementNode = (element: Y.XmlElement, change: RunChange | null, ownChange: boolean): ProseMirrorNode | null => {
    const nodeType = redlineSchema.nodes[element.nodeName]
    if (!nodeType) return null
    const attrs = { ...element.getAttributes(fromSnapshot), ...element.getAttributes(toSnapshot) }
    const children = childrenOf(element, change)
    try {
      // Atoms (a variable, a cross-reference) carry the change themselves; text carries its own.
      const node = nodeType.isInline ? nodeType.create(attrs, null, marked(change)) : nodeType.create(attrs, children)
      const clauseId = ownChange && nodeType.name === 'clause' && typeof attrs.id === 'string' ? attrs.id : null
      if (clauseId && change?.kind === 'insert') wholeClauses.inserted.set(clauseId, { node, change })
      if (clauseId && change?.kind === 'delete') wholeClauses.deleted.set(clauseId, node)
      return node
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

  // One transaction for the whole walk: each toDelta with snapshots otherwise opens its own and
  // splits the document's items at both snapshots again (seconds for a long MOU, not 0.1 s).
  let content: ProseMirrorNode[] = []
  union.transact(() => {
    content = childrenOf(union.getXmlFragment(DOCUMENT_FIELD), null)
  })
  union.destroy()
  const { nodes, moves } = showMoves(content, wholeClauses, fromNumbers)
  const doc = redlineSchema.topNodeType.create(null, nodes)
  const model = buildExportModel({ title: input.title, doc, variables, clauseNumbers, clauseMoves: moves })
  return { ...model, blocks: tidyBlocks(model.blocks, input.include ?? (() => true)) }
}

/**
 * A clause moved in the outline is, to Yjs, deleted in one place and inserted (a copy, with the
 * same clause id) in another. When the copy says the same as the original, the redline shows a
 * move: the clause once, unmarked, where it is now, noted "moved here from Section 3" with who
 * moved it, and nothing where it was. A moved clause whose text also changed stays a deletion
 * and an insertion.
 */
function showMoves(
  content: readonly ProseMirrorNode[],
  whole: { inserted: ReadonlyMap<string, { node: ProseMirrorNode; change: RunChange }>; deleted: ReadonlyMap<string, ProseMirrorNode> },
  fromNumbers: ReadonlyMap<string, string>,
): { nodes: ProseMirrorNode[]; moves: Map<string, ClauseMove> } {
  const moves = new Map<string, ClauseMove>()
  const dropped = new Set<ProseMirrorNode>()
  const unmarked = new Map<ProseMirrorNode, ProseMirrorNode>()
  for (const [id, inserted] of whole.inserted) {
    const deleted = whole.deleted.get(id)
    const from = fromNumbers.get(id)
    if (!deleted || from === undefined || deleted.textContent !== inserted.node.textContent) continue
    moves.set(id, { from, change: inserted.change })
    dropped.add(deleted)
    unmarked.set(inserted.node, withoutChanges(inserted.node))
  }
  if (moves.size === 0) return { nodes: [...content], moves }
  const rebuild = (nodes: readonly ProseMirrorNode[]): ProseMirrorNode[] =>
    nodes.flatMap((node) => {
      if (dropped.has(node)) return []
      const replaced = unmarked.get(node)
      if (replaced) return [replaced]
      if (node.isLeaf || node.isTextblock) return [node]
      const children: ProseMirrorNode[] = []
      node.forEach((child) => children.push(child))
      return [node.copy(Fragment.fromArray(rebuild(children)))]
    })
  return { nodes: rebuild(content), moves }
}

function withoutChanges(node: ProseMirrorNode): ProseMirrorNode {
  const marks = node.marks.filter((mark) => mark.type.name !== REDLINE_MARK)
  if (node.isText) return redlineSchema.text(node.text!, marks)
  const children: ProseMirrorNode[] = []
  node.forEach((child) => children.push(withoutChanges(child)))
  return node.type.create(node.attrs, children, marks)
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
          return { ...block, runs: tidyRuns(wholeWords(tidyRuns(block.runs, include)), everything) }
        case 'quote':
          return { ...block, blocks: tidy(block.blocks) }
        case 'list':
          return { ...block, items: block.items.map(tidy) }
        case 'clause':
          return { ...block, title: tidyRuns(wholeWords(tidyRuns(block.title, include)), everything), blocks: tidy(block.blocks) }
        case 'signatures':
          return block
      }
    })
  return tidy(blocks)
}

const everything = () => true

function tidyRuns(runs: ExportRun[], include: (change: RunChange) => boolean): ExportRun[] {
  if (!runs.some((run) => run.change)) return runs
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

const TOKENS = /[\p{L}\p{N}]+|[^\p{L}\p{N}]+/gu
const WORD = /^[\p{L}\p{N}]/u

/**
 * A word that was partly changed is shown as the whole word deleted and the new word inserted:
 * typing "exceptional" over "rare" keeps rare's final "e" (the editor, like a restore, edits
 * characters), which would read as "rar" → "xceptional". People read words. The kept letters
 * are shown under the change's own author; words changed entirely, or not at all, stay as they are.
 */
function wholeWords(runs: ExportRun[]): ExportRun[] {
  if (!runs.some((run) => run.change)) return runs
  // Pieces of runs that are all word characters or none: a word is a stretch of word pieces.
  const pieces = runs.flatMap((run) => (run.text.match(TOKENS) ?? []).map((text) => ({ run, text, word: WORD.test(text) })))
  const out: ExportRun[] = []
  const push = (run: ExportRun, text: string, change: RunChange | undefined) => {
    const { change: _original, ...look } = run
    const next: ExportRun = change ? { ...look, text, change } : { ...look, text }
    const last = out.at(-1)
    if (last && sameLook(last, next)) last.text += text
    else out.push(next)
  }
  let index = 0
  while (index < pieces.length) {
    const first = pieces[index]!
    if (!first.word) {
      push(first.run, first.text, first.run.change)
      index++
      continue
    }
    let end = index
    while (end < pieces.length && pieces[end]!.word) end++
    const word = pieces.slice(index, end)
    index = end
    const deletion = word.find(({ run }) => run.change?.kind === 'delete')?.run.change
    const insertion = word.find(({ run }) => run.change?.kind === 'insert')?.run.change
    if ((!deletion && !insertion) || word.every(({ run }) => run.change)) {
      for (const { run, text } of word) push(run, text, run.change)
      continue
    }
    const asDeleted = deletion ?? { ...insertion!, kind: 'delete' as const }
    const asInserted = insertion ?? { ...deletion!, kind: 'insert' as const }
    for (const { run, text } of word) if (run.change?.kind !== 'insert') push(run, text, asDeleted)
    for (const { run, text } of word) if (run.change?.kind !== 'delete') push(run, text, asInserted)
  }
  return out
}
