import type { Editor } from '@tiptap/core'
import type { ReactNode } from 'react'
import type * as Y from 'yjs'
import { LibraryPanel } from './LibraryPanel'
import { OutlinePanel } from './OutlinePanel'
import { VariablesPanel } from './VariablesPanel'

export type SidebarTab = 'outline' | 'variables' | 'comments' | 'library' | 'history'

/** Beside the text: the outline, the variables, the comments, (for drafters) the clause library, and the history. */
export function Sidebar({
  editor,
  doc,
  canEdit,
  tab,
  onTab,
  comments,
  history,
  openThreads,
}: {
  editor: Editor
  doc: Y.Doc
  canEdit: boolean
  tab: SidebarTab
  onTab(tab: SidebarTab): void
  comments: ReactNode
  history: ReactNode
  openThreads: number
}) {
  const tabs: Array<[SidebarTab, ReactNode]> = [
    ['outline', 'Outline'],
    ['variables', 'Variables'],
    [
      'comments',
      <>
        Comments
        {openThreads > 0 && (
          <span className="tabs__count">
            {openThreads}
            <span className="visually-hidden"> open</span>
          </span>
        )}
      </>,
    ],
    ...(canEdit ? ([['library', 'Library']] as Array<[SidebarTab, ReactNode]>) : []),
    ['history', 'History'],
  ]
  return (
    <aside className="sidebar" aria-label="Document tools" id="document-tools">
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
            onClick={() => onTab(id)}
          >
            {label}
          </button>
        ))}
      </div>
      <div className="sidebar__panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'outline' && <OutlinePanel editor={editor} canEdit={canEdit} />}
        {tab === 'variables' && <VariablesPanel editor={editor} doc={doc} canEdit={canEdit} />}
        {tab === 'comments' && comments}
        {tab === 'library' && canEdit && <LibraryPanel editor={editor} />}
        {tab === 'history' && history}
      </div>
    </aside>
  )
}
