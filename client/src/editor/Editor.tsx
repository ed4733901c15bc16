import type { User } from '@accord/shared'
import { EditorContent, useEditor } from '@tiptap/react'
import { useState } from 'react'
import type { Collaboration } from '../collab/collaboration'
import { editorExtensions } from './extensions'
import { LinkDialog } from './LinkDialog'
import { Toolbar } from './Toolbar'

/**
 * The document text, bound to the live Y.Doc. Mounted afresh when the person's right to edit
 * changes, because the set of plugins differs between writers and readers.
 */
export function Editor({ live, user, canEdit, title }: { live: Collaboration; user: User; canEdit: boolean; title: string }) {
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

  return (
    <>
      {canEdit && editor && <Toolbar editor={editor} onLink={() => setLinking(true)} />}
      <div className="paper">
        <EditorContent editor={editor} />
      </div>
      {canEdit && editor && <LinkDialog editor={editor} open={linking} onClose={() => setLinking(false)} />}
    </>
  )
}
