import { ProsemirrorBinding } from '@tiptap/y-tiptap'
import * as Y from 'yjs'

/**
 * y-tiptap 3.0.9 answers every change from another screen by forgetting which ProseMirror node
 * stands for which Yjs block (`mapping.clear()` in `_typeChanged`) and building every block of
 * the document again, so that a block moved by drag and drop is measured afresh. In a
 * 100,000-word MOU that is ~13 ms of a screen's time for each character someone else types
 * (npm run bench -- --only editor, "and a drafter typing").
 *
 * When another person only typed or formatted text, no block moved: the binding has already
 * dropped the changed text's blocks from its mapping, and every other block keeps its node and
 * its size. Only those blocks are built again, as y-prosemirror did before; structural changes
 * (blocks added, removed, moved or re-attributed) still take y-tiptap's full rebuild.
 */
let installed = false

export function rebuildOnlyChangedBlocks(): void {
  if (installed) return
  installed = true
  const prototype = ProsemirrorBinding.prototype
  const typeChanged = prototype._typeChanged
  prototype._typeChanged = function (this: ProsemirrorBinding, events: Y.YEvent<Y.AbstractType<unknown>>[], transaction: Y.Transaction) {
    if (!onlyTextChanged(transaction)) return typeChanged.call(this, events, transaction)
    const mapping = this.mapping as Map<unknown, unknown> & { clear: () => void }
    mapping.clear = () => undefined
    try {
      typeChanged.call(this, events, transaction)
    } finally {
      delete (mapping as Partial<typeof mapping>).clear
    }
  }
}

/** Whether the transaction changed only characters and their formatting, inside existing blocks. */
export function onlyTextChanged(transaction: Y.Transaction): boolean {
  for (const type of transaction.changed.keys()) if (!(type instanceof Y.XmlText)) return false
  return transaction.changed.size > 0
}
