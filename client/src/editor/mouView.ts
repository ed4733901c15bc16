import { variableLabel } from '@accord/shared'
import { numberClauses } from '@accord/shared/schema'
import { Extension } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'

interface MouViewState {
  decorations: DecorationSet
  /** Clause ids and numbers in order: when it is unchanged, only the edited ranges need redrawing. */
  numbering: string
}

export const mouViewKey = new PluginKey<MouViewState>('mouView')

export interface MouViewOptions {
  /** The document's variable values (key → text), read whenever decorations are rebuilt. */
  variables: () => ReadonlyMap<string, string>
}

/**
 * Shows what the document computes rather than stores: clause numbers, each variable's value
 * (or that it is unset), and the current number of every cross-referenced clause. Decorations
 * only: nothing here writes to the document, so it is safe in a read-only member's editor.
 * Dispatch a transaction with `setMeta(mouViewKey, true)` when variable values change.
 *
 * Typing is the hot path: a keystroke that leaves the numbering alone redraws only the ranges it
 * touched (a full pass over a 100,000-word MOU took ~40 ms, far more than a frame).
 */
export const MouView = Extension.create<MouViewOptions>({
  name: 'mouView',
  addOptions() {
    return { variables: () => new Map() }
  },
  addProseMirrorPlugins() {
    const context = (doc: ProseMirrorNode) => new DecorationContext(doc, this.options.variables())
    return [
      new Plugin<MouViewState>({
        key: mouViewKey,
        state: {
          init: (_config, state) => context(state.doc).full(),
          apply: (transaction, previous) => {
            if (transaction.getMeta(mouViewKey)) return context(transaction.doc).full()
            if (!transaction.docChanged) return previous
            const next = context(transaction.doc)
            return next.numbering === previous.numbering ? next.changed(previous.decorations, transaction) : next.full()
          },
        },
        props: {
          decorations: (state) => mouViewKey.getState(state)?.decorations,
        },
      }),
    ]
  },
})

class DecorationContext {
  readonly numbering: string
  private readonly numberByTitlePos = new Map<number, { number: string; depth: number }>()
  private readonly numberById = new Map<string, string>()
  // A stamp of the values, so the signature block's view redraws when a variable changes.
  private readonly valuesStamp: string

  constructor(
    private readonly doc: ProseMirrorNode,
    private readonly variables: ReadonlyMap<string, string>,
  ) {
    const clauses = numberClauses(doc)
    for (const clause of clauses) {
      this.numberByTitlePos.set(clause.pos + 1, clause)
      if (clause.id && !this.numberById.has(clause.id)) this.numberById.set(clause.id, clause.number)
    }
    this.numbering = clauses.map((clause) => `${clause.id}=${clause.number}`).join(' ')
    this.valuesStamp = JSON.stringify([...variables])
  }

  full(): MouViewState {
    const decorations: Decoration[] = []
    this.doc.descendants((node, pos) => this.decorate(node, pos, decorations))
    return { decorations: DecorationSet.create(this.doc, decorations), numbering: this.numbering }
  }

  /** The previous decorations, moved through the transaction, with the touched ranges redrawn. */
  changed(previous: DecorationSet, transaction: Transaction): MouViewState {
    let decorations = previous.map(transaction.mapping, this.doc)
    const { maps } = transaction.mapping
    maps.forEach((map, index) => {
      const later = transaction.mapping.slice(index + 1)
      map.forEach((_oldStart, _oldEnd, newStart, newEnd) => {
        const from = Math.max(0, later.map(newStart, -1))
        const to = Math.min(this.doc.content.size, later.map(newEnd, 1))
        const added: Decoration[] = []
        this.doc.nodesBetween(from, to, (node, pos) => this.decorate(node, pos, added))
        // Drop what the redraw replaces (including the decoration of an enclosing title).
        const replaced = decorations.find(from, to, (spec) => spec.mouView === true)
        decorations = decorations.remove(replaced).add(this.doc, added)
      })
    })
    return { decorations, numbering: this.numbering }
  }

  /** Adds the decoration `node` needs, if any; returns whether to look inside it. */
  private decorate(node: ProseMirrorNode, pos: number, into: Decoration[]): boolean {
    const spec = { mouView: true }
    switch (node.type.name) {
      case 'clauseTitle': {
        const clause = this.numberByTitlePos.get(pos)
        if (clause) {
          into.push(Decoration.node(pos, pos + node.nodeSize, { 'data-number': clause.number, 'data-depth': String(clause.depth) }, spec))
        }
        return true
      }
      case 'variable': {
        const key = String(node.attrs.key ?? '')
        const value = this.variables.get(key)?.trim()
        into.push(
          Decoration.node(
            pos,
            pos + node.nodeSize,
            {
              'data-value': value || variableLabel(key),
              class: value ? 'is-set' : 'is-unset',
              title: value ? `${variableLabel(key)} (a variable: set it in Variables)` : `${variableLabel(key)} is not set yet`,
            },
            spec,
          ),
        )
        return false
      }
      case 'signatureBlock':
        into.push(Decoration.node(pos, pos + node.nodeSize, { 'data-values': this.valuesStamp }, spec))
        return false
      case 'crossReference': {
        const number = this.numberById.get(String(node.attrs.clauseId ?? ''))
        const attrs = number ? { 'data-number': number } : { class: 'is-broken', title: 'The clause this referred to was deleted' }
        into.push(Decoration.node(pos, pos + node.nodeSize, attrs, spec))
        return false
      }
      default:
        return !node.isText
    }
  }
}
