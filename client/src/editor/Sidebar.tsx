import type { Editor } from '@tiptap/core'
import { useState } from 'react'
import type * as Y from 'yjs'
import { LibraryPanel } from './LibraryPanel'
import { OutlinePanel } from './OutlinePanel'
import { VariablesPanel } from './VariablesPanel'

type Tab = 'outline' | 'variables' | 'library'

/** Beside the text: the outline, the variables, and (for drafters) the clause library. */
export function Sidebar({ editor, doc, canEdit }: { editor: Editor; doc: Y.Doc; canEdit: boolean }) {
  const [tab, setTab] = useState<Tab>('outline')
  const tabs: Array<[Tab, string]> = [
    ['outline', 'Outline'],
    ['variables', 'Variables'],
    ...(canEdit ? ([['library', 'Library']] as Array<[Tab, string]>) : []),
  ]
  return (
    <aside className="sidebar" aria-label="Document tools">
      <div className="tabs" role="tablist" aria-label="Document tools">
        {tabs.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            className="tabs__tab"
            onClick={() => setTab(id)}
          >
            {label}
          </button>
        ))}
      </div>
      <div className="sidebar__panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'outline' && <OutlinePanel editor={editor} canEdit={canEdit} />}
        {tab === 'variables' && <VariablesPanel editor={editor} doc={doc} canEdit={canEdit} />}
        {tab === 'library' && canEdit && <LibraryPanel editor={editor} />}
      </div>
    </aside>
  )
}
