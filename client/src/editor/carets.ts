import { AFFILIATIONS, type Affiliation } from '@accord/shared'
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state'
import { Decoration, DecorationSet, type DecorationAttrs } from '@tiptap/pm/view'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import type { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { coalescedAfterPaint } from '../lib/schedule'
import { readPendingSelection } from './pendingSelection'
import { bindingOf, toAbsolute, toRelative } from './yPositions'

/**
 * Remote carets and selections are coloured by affiliation through CSS classes, not inline
 * styles: our Content-Security-Policy forbids style attributes, and a class cannot be abused
 * by a client that sends a strange colour string.
 */
function affiliationOf(user: Record<string, unknown>): Affiliation {
  return AFFILIATIONS.includes(user.affiliation as Affiliation) ? (user.affiliation as Affiliation) : 'other'
}

export function renderCaret(user: Record<string, unknown>): HTMLElement {
  const caret = document.createElement('span')
  caret.className = `remote-caret affiliation--${affiliationOf(user)}`
  caret.setAttribute('aria-hidden', 'true')
  const label = document.createElement('span')
  label.className = 'remote-caret__label'
  label.textContent = typeof user.name === 'string' ? user.name : 'Someone'
  caret.append(label)
  return caret
}

export function renderSelection(user: Record<string, unknown>): DecorationAttrs {
  return { class: `remote-selection affiliation--${affiliationOf(user)}` }
}

interface CaretOptions {
  awareness: Awareness
  user: Record<string, unknown>
}

type CaretMeta = { awarenessChanged: true }
const CARET_REDRAW_MS = 150
/** A person whose text or caret moved this recently is typing: other people's carets are then redrawn after their keystrokes. */
const TYPING_MS = 500
const caretsKey = new PluginKey<DecorationSet>('remoteCarets')

/** Whether `transaction` only redraws other people's carets: it changes nothing else in the editor. */
export function isCaretRedraw(transaction: Transaction): boolean {
  return (transaction.getMeta(caretsKey) as CaretMeta | undefined)?.awarenessChanged === true
}

/**
 * Other people's carets and selections, and this person's caret published for them: what
 * y-tiptap's cursor plugin does, with positions converted through `yPositions` (once per
 * version of the document rather than a walk over every block per caret), decorations rebuilt
 * only when a remote caret moved or remote text arrived, and this person's caret converted
 * only when their selection or the text changed.
 */
export const RemoteCarets = Extension.create<CaretOptions>({
  name: 'remoteCarets',

  addProseMirrorPlugins() {
    const { awareness, user } = this.options
    return [
      new Plugin<DecorationSet>({
        key: caretsKey,
        state: {
          init: (_, state) => caretDecorations(state, awareness),
          apply(tr, previous, _oldState, state) {
            if (isRemoteText(state) || isCaretRedraw(tr)) return caretDecorations(state, awareness)
            return tr.docChanged ? previous.map(tr.mapping, tr.doc) : previous
          },
        },
        props: {
          decorations: (state) => caretsKey.getState(state),
        },
        view(view) {
          let published: { anchor: Y.RelativePosition; head: Y.RelativePosition } | null = null
          const publish = () => {
            const binding = bindingOf(view.state)
            if (!binding) return
            if (!view.hasFocus()) {
              if (published) awareness.setLocalStateField('cursor', null)
              published = null
              return
            }
            const { anchor, head } = view.state.selection
            const next = { anchor: toRelative(binding, view.state.doc, anchor), head: toRelative(binding, view.state.doc, head) }
            if (published && Y.compareRelativePositions(published.anchor, next.anchor) && Y.compareRelativePositions(published.head, next.head)) return
            published = next
            awareness.setLocalStateField('cursor', next)
          }
          // Twenty people's carets move many times a second, and every redraw is a transaction
          // that the Yjs binding answers with a walk over the whole document: redrawn at most
          // every CARET_REDRAW_MS. While this person types, a redraw waits for the frame that
          // shows their next keystroke and follows it at once: a redraw on a clock of its own
          // kept Chromium's frame clock running when the next key came, and that key's frame then
          // waited for the clock's next tick (up to 16.7 ms) however fast the editor had been.
          let timer: ReturnType<typeof setTimeout> | null = null
          let wanted = false
          let lastRedraw = 0
          let lastTyped = -Infinity
          const redraw = () => {
            if (timer !== null) clearTimeout(timer)
            timer = null
            wanted = false
            lastRedraw = performance.now()
            if (view.isDestroyed) return
            readPendingSelection(view)
            view.dispatch(view.state.tr.setMeta(caretsKey, { awarenessChanged: true } satisfies CaretMeta))
          }
          const onAwarenessChange = ({ added, updated, removed }: AwarenessChanges) => {
            const own = awareness.clientID
            const remote = [added, updated, removed].some((ids) => ids.some((id) => id !== own))
            if (!remote || wanted) return
            wanted = true
            // Typing: the next keystroke's paint redraws (see publishAfterPaint); this timer only
            // serves if the typing stops first.
            const now = performance.now()
            const typing = now - lastTyped < TYPING_MS
            const wait = Math.max(0, lastRedraw + CARET_REDRAW_MS - now) + (typing ? CARET_REDRAW_MS : 0)
            timer = setTimeout(() => {
              timer = null
              requestAnimationFrame(() => wanted && redraw())
            }, wait)
          }
          const publishAfterPaint = coalescedAfterPaint(() => {
            if (view.isDestroyed) return
            publish()
            if (wanted && performance.now() >= lastRedraw + CARET_REDRAW_MS) redraw()
          })
          const onFocusChange = () => publish()
          awareness.setLocalStateField('user', user)
          awareness.on('change', onAwarenessChange)
          view.dom.addEventListener('focusin', onFocusChange)
          view.dom.addEventListener('focusout', onFocusChange)
          return {
            update(view, previous) {
              if (previous.doc === view.state.doc && previous.selection.eq(view.state.selection)) return
              if (view.hasFocus() && !isRemoteText(view.state)) lastTyped = performance.now()
              publishAfterPaint()
            },
            destroy() {
              if (timer !== null) clearTimeout(timer)
              awareness.off('change', onAwarenessChange)
              view.dom.removeEventListener('focusin', onFocusChange)
              view.dom.removeEventListener('focusout', onFocusChange)
              awareness.setLocalStateField('cursor', null)
            },
          }
        },
      }),
    ]
  },
})

/** Whether the transaction that made `state` brought someone else's text. */
function isRemoteText(state: EditorState): boolean {
  return (ySyncPluginKey.getState(state) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin === true
}

interface AwarenessChanges {
  added: number[]
  updated: number[]
  removed: number[]
}

interface CaretState {
  user?: Record<string, unknown>
  cursor?: { anchor: unknown; head: unknown } | null
}

function caretDecorations(state: EditorState, awareness: Awareness): DecorationSet {
  const binding = bindingOf(state)
  if (!binding) return DecorationSet.empty
  const decorations: Decoration[] = []
  const last = Math.max(state.doc.content.size - 1, 0)
  awareness.getStates().forEach((value, clientId) => {
    const { user = {}, cursor } = value as CaretState
    if (clientId === awareness.clientID || !cursor) return
    const place = (position: unknown) => toAbsolute(binding, state.doc, Y.createRelativePositionFromJSON(position))
    const anchor = place(cursor.anchor)
    const head = place(cursor.head)
    if (anchor === null || head === null) return
    const [from, to] = [Math.min(anchor, head, last), Math.min(Math.max(anchor, head), last)]
    decorations.push(Decoration.widget(Math.min(head, last), () => renderCaret(user), { key: String(clientId), side: 10 }))
    if (from < to) decorations.push(Decoration.inline(from, to, renderSelection(user), { inclusiveEnd: true, inclusiveStart: false }))
  })
  return DecorationSet.create(state.doc, decorations)
}
