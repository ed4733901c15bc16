import { variableLabel } from '@accord/shared'
import { numberClauses } from '@accord/shared/schema'
import { Extension } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'
import { AddMarkStep, RemoveMarkStep, ReplaceStep } from '@tiptap/pm/transform'
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
    const context = (doc: ProseMirrorNode, numbering?: string) => new DecorationContext(doc, this.options.variables(), numbering)
    return [
      new Plugin<MouViewState>({
        key: mouViewKey,
        state: {
          init: (_config, state) => context(state.doc).full(),
          apply: (transaction, previous) => {
            if (transaction.getMeta(mouViewKey)) return context(transaction.doc).full()
            if (!transaction.docChanged) return previous
            // Typing and formatting inside one paragraph or title move no clause: the numbering stands.
            if (keepsBlocks(transaction)) return context(transaction.doc, previous.numbering).changed(previous.decorations, transaction)
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

/**
 * Whether every step only changed text, inline nodes or marks within one textblock: then no
 * block was added, removed, moved or given new attributes, so no clause's number changed.
 */
function keepsBlocks(transaction: Transaction): boolean {
  return transaction.steps.every((step, index) => {
    if (step instanceof AddMarkStep || step instanceof RemoveMarkStep) return true
    if (!(step instanceof ReplaceStep) || step.slice.openStart > 0 || step.slice.openEnd > 0) return false
    let inline = true
    step.slice.content.forEach((node) => (inline &&= node.isInline))
    const $from = transaction.docs[index]!.resolve(step.from)
    return inline && $from.parent.isTextblock && $from.sameParent(transaction.docs[index]!.resolve(step.to))
  })
}

const isMouView = (spec: { mouView?: boolean }) => spec.mouView === true

interface Numbers {
  /** Clause ids and numbers in order: when it is unchanged, only the edited ranges need redrawing. */
  numbering: string
  byTitlePos: Map<number, { number: string; depth: number }>
  byId: Map<string, string>
}

/** Draws the decorations of one document version. Numbers are computed when first needed: a keystroke in a paragraph needs none. */
class DecorationContext {
  private computed: Numbers | null = null

  constructor(
    private readonly doc: ProseMirrorNode,
    private readonly variables: ReadonlyMap<string, string>,
    /** The numbering, when the caller knows it is the previous version's. */
    private readonly knownNumbering?: string,
  ) {}

  get numbering(): string {
    return this.knownNumbering ?? this.numbers().numbering
  }

  private numbers(): Numbers {
    if (this.computed) return this.computed
    const clauses = numberClauses(this.doc)
    const computed: Numbers = { numbering: clauses.map((clause) => `${clause.id}=${clause.number}`).join(' '), byTitlePos: new Map(), byId: new Map() }
    for (const clause of clauses) {
      computed.byTitlePos.set(clause.pos + 1, clause)
      if (clause.id && !computed.byId.has(clause.id)) computed.byId.set(clause.id, clause.number)
    }
    return (this.computed = computed)
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
        let from = Math.max(0, later.map(newStart, -1))
        let to = Math.min(this.doc.content.size, later.map(newEnd, 1))
        // Drop what the redraw replaces: every decoration touching the range (the enclosing
        // title's, a cross-reference just before the edit), widened until each lies inside it,
        // so that the redraw below visits each of their nodes again.
        let replaced = decorations.find(from, to, isMouView)
        for (;;) {
          const widerFrom = Math.min(from, ...replaced.map((decoration) => decoration.from))
          const widerTo = Math.max(to, ...replaced.map((decoration) => decoration.to))
          if (widerFrom === from && widerTo === to) break
          ;[from, to] = [widerFrom, widerTo]
          replaced = decorations.find(from, to, isMouView)
        }
        const added: Decoration[] = []
        this.doc.nodesBetween(from, to, (node, pos) => this.decorate(node, pos, added))
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
        const clause = this.numbers().byTitlePos.get(pos)
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
        // A stamp of the values, so the signature block's view redraws when a variable changes.
        into.push(Decoration.node(pos, pos + node.nodeSize, { 'data-values': JSON.stringify([...this.variables]) }, spec))
        return false
      case 'crossReference': {
        const number = this.numbers().byId.get(String(node.attrs.clauseId ?? ''))
        const attrs = number ? { 'data-number': number } : { class: 'is-broken', title: 'The clause this referred to was deleted' }
        into.push(Decoration.node(pos, pos + node.nodeSize, attrs, spec))
        return false
      }
      default:
        return !node.isText
    }
  }
}
