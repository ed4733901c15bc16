import { variableLabel } from '@accord/shared'
import { clauseNumberById, numberClauses } from '@accord/shared/schema'
import { Extension } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'

export const mouViewKey = new PluginKey<DecorationSet>('mouView')

export interface MouViewOptions {
  /** The document's variable values (key → text), read whenever decorations are rebuilt. */
  variables: () => ReadonlyMap<string, string>
}

/**
 * Shows what the document computes rather than stores: clause numbers, each variable's value
 * (or that it is unset), and the current number of every cross-referenced clause. Decorations
 * only: nothing here writes to the document, so it is safe in a read-only member's editor.
 * Dispatch a transaction with `setMeta(mouViewKey, true)` when variable values change.
 */
export const MouView = Extension.create<MouViewOptions>({
  name: 'mouView',
  addOptions() {
    return { variables: () => new Map() }
  },
  addProseMirrorPlugins() {
    const build = (doc: ProseMirrorNode) => decorate(doc, this.options.variables())
    return [
      new Plugin<DecorationSet>({
        key: mouViewKey,
        state: {
          init: (_config, state) => build(state.doc),
          apply: (transaction, previous) =>
            transaction.docChanged || transaction.getMeta(mouViewKey) ? build(transaction.doc) : previous,
        },
        props: {
          decorations: (state) => mouViewKey.getState(state),
        },
      }),
    ]
  },
})

function decorate(doc: ProseMirrorNode, variables: ReadonlyMap<string, string>): DecorationSet {
  const decorations: Decoration[] = []
  for (const clause of numberClauses(doc)) {
    const title = doc.nodeAt(clause.pos + 1)
    if (title) {
      decorations.push(
        Decoration.node(clause.pos + 1, clause.pos + 1 + title.nodeSize, {
          'data-number': clause.number,
          'data-depth': String(clause.depth),
        }),
      )
    }
  }
  const numbers = clauseNumberById(doc)
  // A stamp of the values, so the signature block's view redraws when a variable changes.
  const valuesStamp = JSON.stringify([...variables])
  doc.descendants((node, pos) => {
    if (node.type.name === 'variable') {
      const key = String(node.attrs.key ?? '')
      const value = variables.get(key)?.trim()
      decorations.push(
        Decoration.node(pos, pos + node.nodeSize, {
          'data-value': value || variableLabel(key),
          class: value ? 'is-set' : 'is-unset',
          title: value ? `${variableLabel(key)} (a variable: set it in Variables)` : `${variableLabel(key)} is not set yet`,
        }),
      )
    } else if (node.type.name === 'signatureBlock') {
      decorations.push(Decoration.node(pos, pos + node.nodeSize, { 'data-values': valuesStamp }))
    } else if (node.type.name === 'crossReference') {
      const number = numbers.get(String(node.attrs.clauseId ?? ''))
      decorations.push(
        Decoration.node(pos, pos + node.nodeSize, number ? { 'data-number': number } : { class: 'is-broken', title: 'The clause this referred to was deleted' }),
      )
    }
    return node.type.name !== 'text'
  })
  return DecorationSet.create(doc, decorations)
}
