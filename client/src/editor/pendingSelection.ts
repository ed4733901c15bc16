import { Extension } from '@tiptap/core'
import { Plugin } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'
import type { Collaboration as LiveDocument } from '../collab/collaboration'

/**
 * Has ProseMirror take in a caret move the browser has made but not yet reported.
 *
 * The browser reports a moved caret (Home, an arrow key, a click) in a `selectionchange` event
 * that it queues as a task. A transaction dispatched before that task runs (someone else's edit,
 * a redraw of their carets or of the comments) starts from ProseMirror's older selection and puts
 * the caret back there: pressing Home while someone else typed sent the next words to the end of
 * the line. A key ProseMirror handles itself (Enter, Backspace, Tab) acted on the older
 * selection too. ProseMirror reads the browser's selection on `selectionchange` (in a read-only
 * editor too, where a reviewer selects text to comment on), so it is given one now. Called before
 * a key is handled, before each change from the server is applied, and before the redraws that
 * other people's carets and the comments cause.
 */
export function readPendingSelection(view: EditorView): void {
  if (!view.isDestroyed) view.dom.ownerDocument.dispatchEvent(new Event('selectionchange'))
}

/**
 * Reads a pending caret move before each change from the server is applied. Carets from the
 * server change nothing until they are redrawn, which reads it there (`carets.ts`).
 */
export const PendingSelectionFirst = Extension.create<{ live: LiveDocument | null }>({
  name: 'pendingSelectionFirst',

  addOptions: () => ({ live: null }),

  addProseMirrorPlugins() {
    const { live } = this.options
    return [
      new Plugin({
        view: (view) => {
          const stop = live?.beforeIncomingChanges(() => readPendingSelection(view))
          return { destroy: () => stop?.() }
        },
      }),
    ]
  },
})
