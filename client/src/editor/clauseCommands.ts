import { newClauseId } from '@accord/shared'
import { Extension, type JSONContent } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state'
import { AddMarkStep, RemoveMarkStep, ReplaceAroundStep, ReplaceStep } from '@tiptap/pm/transform'

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    clauses: {
      /** Inserts clause content after the top-level block or clause holding the cursor. */
      insertClauseAfterCursor: (content: JSONContent) => ReturnType
      /** Makes the clause holding the cursor a sub-clause of the clause before it. */
      indentClause: () => ReturnType
      /** Moves the clause holding the cursor out of its parent, right after it. */
      outdentClause: () => ReturnType
      /** Moves the clause at `pos` to before (or after) the clause at `targetPos`. */
      moveClause: (pos: number, targetPos: number, place: 'before' | 'after') => ReturnType
    }
  }
}

/** The innermost clause around the selection: its position and node. */
export function clauseAtSelection(state: EditorState): { pos: number; node: ProseMirrorNode } | null {
  const { $from } = state.selection
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth)
    if (node.type.name === 'clause') return { pos: $from.before(depth), node }
  }
  return null
}

/** Moves the node at `from` to `to` (a position in the untouched document), keeping the cursor inside it. */
function move(tr: Transaction, from: number, to: number): boolean {
  const node = tr.doc.nodeAt(from)
  if (!node) return false
  const { anchor } = tr.selection
  const cursorOffset = anchor > from && anchor < from + node.nodeSize ? anchor - from : null
  tr.delete(from, from + node.nodeSize)
  const target = tr.mapping.map(to)
  try {
    tr.insert(target, node)
  } catch {
    return false
  }
  if (cursorOffset !== null) tr.setSelection(TextSelection.near(tr.doc.resolve(target + cursorOffset)))
  return true
}

/**
 * Editing the clause structure. Numbers follow by themselves (see numbering.ts); these only
 * move nodes. For writers the extension also keeps clause ids unique (a pasted clause gets a
 * new one), which is a write, so it is never added to a read-only member's editor.
 */
export const ClauseCommands = Extension.create({
  name: 'clauseCommands',
  addCommands() {
    return {
      insertClauseAfterCursor:
        (content) =>
        ({ state, tr, dispatch }) => {
          const { $from } = state.selection
          const pos = $from.depth > 0 ? $from.after(1) : state.doc.content.size
          const node = state.schema.nodeFromJSON(content)
          if (dispatch) {
            tr.insert(pos, node)
            // The cursor goes to the end of what was inserted, so the next insertion follows it.
            tr.setSelection(TextSelection.near(tr.doc.resolve(pos + node.nodeSize - 1), -1)).scrollIntoView()
          }
          return true
        },
      indentClause:
        () =>
        ({ state, tr, dispatch }) => {
          const clause = clauseAtSelection(state)
          if (!clause) return false
          const $pos = state.doc.resolve(clause.pos)
          const before = $pos.nodeBefore
          if (!before || before.type.name !== 'clause') return false
          // Last position inside the previous clause, where its sub-clauses go.
          const into = clause.pos - 1
          if (dispatch && !move(tr, clause.pos, into)) return false
          return true
        },
      outdentClause:
        () =>
        ({ state, tr, dispatch }) => {
          const clause = clauseAtSelection(state)
          if (!clause) return false
          const $pos = state.doc.resolve(clause.pos)
          if ($pos.parent.type.name !== 'clause') return false
          const afterParent = $pos.after($pos.depth)
          if (dispatch && !move(tr, clause.pos, afterParent)) return false
          return true
        },
      moveClause:
        (pos, targetPos, place) =>
        ({ state, tr, dispatch }) => {
          const target = state.doc.nodeAt(targetPos)
          if (!target || pos === targetPos) return false
          const to = place === 'before' ? targetPos : targetPos + target.nodeSize
          if (dispatch && !move(tr, pos, to)) return false
          return true
        },
    }
  },
  addKeyboardShortcuts() {
    const inTitle = () => this.editor.state.selection.$from.parent.type.name === 'clauseTitle'
    return {
      Tab: () => inTitle() && this.editor.commands.indentClause(),
      'Shift-Tab': () => inTitle() && this.editor.commands.outdentClause(),
    }
  },
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('uniqueClauseIds'),
        appendTransaction: (transactions, _old, state) => {
          if (!transactions.some(mayAddClauseIds)) return null
          const seen = new Set<string>()
          let tr: Transaction | null = null
          state.doc.descendants((node, pos) => {
            if (node.type.name !== 'clause') return node.type.name !== 'text' && node.isBlock
            const id = node.attrs.id as string | null
            if (!id || seen.has(id)) {
              tr ??= state.tr
              tr.setNodeAttribute(pos, 'id', newClauseId())
            } else {
              seen.add(id)
            }
            return true
          })
          return tr
        },
      }),
    ]
  },
})

/**
 * Whether a transaction may have brought in a clause id (a pasted or synced clause, a changed
 * id): typing does not, and then the walk over every block is skipped.
 */
function mayAddClauseIds(transaction: Transaction): boolean {
  return transaction.steps.some((step) => {
    if (step instanceof ReplaceStep || step instanceof ReplaceAroundStep) {
      let clause = false
      step.slice.content.descendants((node) => {
        clause ||= node.type.name === 'clause'
        return !clause && !node.isTextblock
      })
      return clause
    }
    return !(step instanceof AddMarkStep || step instanceof RemoveMarkStep)
  })
}
