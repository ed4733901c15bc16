import type { User } from '@accord/shared'
import { EditorContent, useEditor } from '@tiptap/react'
import { VARIABLES_FIELD } from '@accord/shared/schema'
import { useEffect, useState } from 'react'
import type { Collaboration } from '../collab/collaboration'
import { editorExtensions } from './extensions'
import { LinkDialog } from './LinkDialog'
import { mouViewKey } from './mouView'
import { Sidebar } from './Sidebar'
import { describeTooLarge, isTooLarge } from './pasteLimit'
import { Toolbar } from './Toolbar'

/**
 * The document text, bound to the live Y.Doc. Mounted afresh when the person's right to edit
 * changes, because the set of plugins differs between writers and readers.
 */
export function Editor({
  live,
  user,
  canEdit,
  title,
  onPasteRefused,
}: {
  live: Collaboration
  user: User
  canEdit: boolean
  title: string
  /** Called with a sentence for the person when a paste or drop was refused, and with null after one went in. */
  onPasteRefused(message: string | null): void
}) {
  const [linking, setLinking] = useState(false)
  const editor = useEditor(
    {
      extensions: editorExtensions(live, user, canEdit),
      editable: canEdit,
      injectCSS: false,
      editorProps: {
        attributes: {
          class: 'document-text',
          'aria-label': `${title}: document text`,
          'aria-readonly': String(!canEdit),
          'data-testid': 'document-text',
        },
        // The server refuses any single change larger than it accepts, and a refused change costs
        // the person their unsent work (the page reopens from the server's copy), so a paste or
        // drop that would produce one is refused here, before anything is inserted.
        handlePaste: (_view, _event, slice) => {
          if (!canEdit) return false
          if (isTooLarge(slice)) {
            onPasteRefused(describeTooLarge(slice, 'paste'))
            return true
          }
          onPasteRefused(null)
          return false
        },
        handleDrop: (_view, _event, slice, moved) => {
          if (!canEdit || moved) return false
          if (isTooLarge(slice)) {
            onPasteRefused(describeTooLarge(slice, 'drop'))
            return true
          }
          return false
        },
        handleKeyDown: (_view, event) => {
          if (canEdit && (event.metaKey || event.ctrlKey) && event.key.toLowerCase() === 'k') {
            event.preventDefault()
            setLinking(true)
            return true
          }
          return false
        },
      },
    },
    [live, canEdit],
  )

  // Variable values live beside the text; redraw their decorations when one changes.
  useEffect(() => {
    if (!editor) return
    const map = live.doc.getMap(VARIABLES_FIELD)
    const redraw = () => {
      if (!editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(mouViewKey, true).setMeta('addToHistory', false))
    }
    map.observe(redraw)
    return () => map.unobserve(redraw)
  }, [editor, live])

  return (
    <div className="workspace">
      <div className="workspace__text">
        {canEdit && editor && <Toolbar editor={editor} onLink={() => setLinking(true)} />}
        <div className="paper">
          <EditorContent editor={editor} />
        </div>
      </div>
      {editor && <Sidebar editor={editor} doc={live.doc} canEdit={canEdit} />}
      {canEdit && editor && <LinkDialog editor={editor} open={linking} onClose={() => setLinking(false)} />}
    </div>
  )
}
