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

interface BlockGroups {
  /** The document these groups were made for. */
  doc: ProseMirrorNode
  /** Each group's first block (its index among the top-level blocks), in order: the first is 0. */
  starts: number[]
  ids: number[]
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
    const marksById = new Map<number, readonly Mark[]>()
    const marksOf = (id: number) => {
      let marks = marksById.get(id)
      if (!marks) marksById.set(id, (marks = [groupSchema.marks.blockGroup!.create({ id })]))
      return marks
    }
    const grouped = (doc: ProseMirrorNode, starts: number[], ids: number[]): BlockGroups => {
      const splitStarts: number[] = []
      const splitIds: number[] = []
      starts.forEach((start, group) => {
        const size = (starts[group + 1] ?? doc.childCount) - start
        const pieces = size > MAX_GROUP_SIZE ? Math.ceil(size / GROUP_SIZE) : 1
        for (let piece = 0; piece < pieces; piece++) {
          splitStarts.push(start + Math.floor((piece * size) / pieces))
          splitIds.push(piece === 0 ? ids[group]! : ++lastId)
        }
      })
      const marks: (readonly Mark[])[] = new Array(doc.childCount)
      splitStarts.forEach((start, group) => marks.fill(marksOf(splitIds[group]!), start, splitStarts[group + 1] ?? doc.childCount))
      const kept = new Set(splitIds)
      for (const id of marksById.keys()) if (!kept.has(id)) marksById.delete(id)
      return { doc, starts: splitStarts, ids: splitIds, marks }
    }

    return [
      new Plugin<BlockGroups>({
        key: blockGroupsKey,
        state: {
          init: (_config, { doc }) => grouped(doc, [0], [++lastId]),
          apply: (transaction, groups) => {
            if (!transaction.docChanged) return groups
            if (staysInsideTopLevelBlocks(transaction)) return { ...groups, doc: transaction.doc }
            const { starts, ids } = carriedStarts(groups, transaction)
            return grouped(transaction.doc, starts, ids)
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
function carriedStarts({ doc, starts, ids }: BlockGroups, transaction: Transaction): { starts: number[]; ids: number[] } {
  const positions = startPositions(doc, starts)
  const next = transaction.doc
  const carried = positions.map((position) => {
    const $mapped = next.resolve(transaction.mapping.map(position, 1))
    return $mapped.depth === 0 ? $mapped.pos : $mapped.after(1)
  })
  const nextStarts: number[] = []
  const nextIds: number[] = []
  let group = 0
  let offset = 0
  for (let index = 0; index < next.childCount && group < carried.length; index++) {
    let startsHere = false
    while (group < carried.length && carried[group]! <= offset) {
      if (!startsHere) {
        nextStarts.push(index)
        nextIds.push(ids[group]!)
        startsHere = true
      }
      group++
    }
    offset += next.child(index).nodeSize
  }
  if (nextStarts.length === 0) return { starts: [0], ids: [ids[0]!] }
  nextStarts[0] = 0
  return { starts: nextStarts, ids: nextIds }
}

/** The document positions at which the blocks with these indices begin. */
function startPositions(doc: ProseMirrorNode, starts: readonly number[]): number[] {
  const positions: number[] = []
  let group = 0
  doc.forEach((_block, offset, index) => {
    if (starts[group] === index) {
      positions.push(offset)
      group++
    }
  })
  return positions
}
