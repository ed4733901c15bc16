import { Extension } from '@tiptap/core'
import { Schema, type Mark, type Node as ProseMirrorNode } from '@tiptap/pm/model'
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state'

/** Blocks per group when groups are made; a group that grows past the maximum is split evenly into groups of at most this size. */
const GROUP_SIZE = 32
const MAX_GROUP_SIZE = 2 * GROUP_SIZE

/**
 * The wrapper is a mark of a schema of its own, so it can never enter the document, its
 * clipboard or its exports. `reparseInView`: when the browser changes the text inside a group,
 * ProseMirror reads the group's content with the document's own rules, not as this mark.
 */
const groupSchema = new Schema({
  nodes: { doc: { content: 'text*' }, text: {} },
  marks: {
    blockGroup: {
      attrs: { id: {} },
      // Read through, never as a mark: see client/build/prosemirrorViewPatches.ts.
      viewOnly: true,
      reparseInView: true,
      toDOM: () => ['div', { class: 'block-group' }, 0],
    },
  },
})

/** A group of top-level blocks: the index of its first block, and an id that stays with it. */
interface Group {
  start: number
  id: number
}

interface BlockGroups {
  /** The document these groups were made for. */
  doc: ProseMirrorNode
  /** In order; the first starts at block 0. */
  groups: readonly Group[]
  /** For each top-level block, the wrapper it is drawn in (see `client/build/prosemirrorViewPatches.ts`). */
  marks: (readonly Mark[])[]
}

const blockGroupsKey = new PluginKey<BlockGroups>('blockGroups')

/**
 * Draws the document's top-level blocks in groups of a few dozen (`<div class="block-group">`),
 * so that in a long MOU the browser skips the layout of whole groups off screen instead of
 * checking each of thousands of blocks on every keystroke (editor.css). View only: the document,
 * what is sent and what is stored are unchanged.
 *
 * A group keeps its blocks while people type, add and remove blocks: each group's start is
 * carried through every change, so a keystroke never moves a block to another wrapper (which
 * would draw it again). A group that grows past twice its size is split evenly.
 */
export const BlockGroups = Extension.create({
  name: 'blockGroups',
  addProseMirrorPlugins() {
    let lastId = 0
    /**
     * Each group's wrapper, made once: the view compares every top-level block's wrapper on
     * every change, and the same object is equal at once, where a new one is compared by value
     * (about half a millisecond a keystroke over the flat MOU's 1,442 blocks).
     */
    let wrappers = new Map<number, readonly Mark[]>()
    /** The groups for `doc`, with any grown past the maximum split, and each block's wrapper. */
    const grouped = (doc: ProseMirrorNode, carried: readonly Group[]): BlockGroups => {
      const groups = carried.flatMap(({ start, id }, index) => {
        const size = (carried[index + 1]?.start ?? doc.childCount) - start
        const pieces = size > MAX_GROUP_SIZE ? Math.ceil(size / GROUP_SIZE) : 1
        return Array.from({ length: pieces }, (_, piece) => ({ start: start + Math.floor((piece * size) / pieces), id: piece === 0 ? id : ++lastId }))
      })
      const previous = wrappers
      wrappers = new Map(groups.map(({ id }) => [id, previous.get(id) ?? [groupSchema.marks.blockGroup!.create({ id })]]))
      const marks: (readonly Mark[])[] = new Array(doc.childCount)
      groups.forEach(({ start, id }, index) => marks.fill(wrappers.get(id)!, start, groups[index + 1]?.start ?? doc.childCount))
      return { doc, groups, marks }
    }

    return [
      new Plugin<BlockGroups>({
        key: blockGroupsKey,
        state: {
          init: (_config, { doc }) => grouped(doc, [{ start: 0, id: ++lastId }]),
          apply: (transaction, previous) => {
            if (!transaction.docChanged) return previous
            if (staysInsideTopLevelBlocks(transaction)) return { ...previous, doc: transaction.doc }
            return grouped(transaction.doc, carriedGroups(previous, transaction))
          },
        },
        props: {
          // Read by the patched view when it draws the document's children.
          topLevelMarks: (state: EditorState, doc: ProseMirrorNode) => {
            const groups = blockGroupsKey.getState(state)
            return groups?.doc === doc ? groups.marks : null
          },
        } as Plugin['props'],
      }),
    ]
  },
})

/**
 * Whether every step changed only the inside of one top-level block, and left as many blocks:
 * then every block keeps its index.
 */
function staysInsideTopLevelBlocks(transaction: Transaction): boolean {
  return transaction.steps.every((step, index) => {
    const doc = transaction.docs[index]!
    if ((transaction.docs[index + 1] ?? transaction.doc).childCount !== doc.childCount) return false
    let inside = true
    step.getMap().forEach((from, to) => {
      const $from = doc.resolve(from)
      inside &&= $from.depth > 0 && to <= $from.end(1)
    })
    return inside
  })
}

/**
 * Each group's start, carried through the transaction's changes to the top-level block that
 * now begins there (or the next one, when its first block was joined to the one before). Groups
 * left with no block are dropped; blocks added before the first group join it.
 */
function carriedGroups({ doc, groups }: BlockGroups, transaction: Transaction): Group[] {
  const next = transaction.doc
  const carried = startPositions(doc, groups).map((position) => {
    const $mapped = next.resolve(transaction.mapping.map(position, 1))
    return $mapped.depth === 0 ? $mapped.pos : $mapped.after(1)
  })
  const kept: Group[] = []
  let group = 0
  next.forEach((_block, offset, index) => {
    for (; group < carried.length && carried[group]! <= offset; group++) {
      if (kept.at(-1)?.start !== index) kept.push({ start: index, id: groups[group]!.id })
    }
  })
  if (kept.length === 0) return [{ start: 0, id: groups[0]!.id }]
  kept[0]!.start = 0
  return kept
}

/** The document position at which each group's first block begins. */
function startPositions(doc: ProseMirrorNode, groups: readonly Group[]): number[] {
  const positions: number[] = []
  doc.forEach((_block, offset, index) => {
    if (groups[positions.length]?.start === index) positions.push(offset)
  })
  return positions
}
