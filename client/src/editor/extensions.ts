// Brings the StarterKit extensions' command types (toggleBold, setLink, ...) into the editor's types.
import type {} from '@tiptap/starter-kit'
import { AFFILIATION_COLORS, type User } from '@accord/shared'
import { documentExtensions } from '@accord/shared/schema'
import type { AnyExtension } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import { Placeholder, TrailingNode } from '@tiptap/extensions'
import type { Collaboration as LiveDocument } from '../collab/collaboration'
import { renderCaret, renderSelection } from './carets'

/**
 * The editor's extensions: the shared document schema, bound to the live Y.Doc. Plugins that
 * write to the document by themselves (the trailing paragraph) are added only for people who
 * may edit, so a read-only member's editor never produces a write.
 */
export function editorExtensions(live: LiveDocument, user: User, canEdit: boolean): AnyExtension[] {
  const extensions: AnyExtension[] = [
    ...documentExtensions(),
    Collaboration.configure({ document: live.doc, field: 'default' }),
    CollaborationCaret.configure({
      provider: live.provider,
      user: { username: user.username, name: user.displayName, affiliation: user.affiliation, color: AFFILIATION_COLORS[user.affiliation] },
      render: renderCaret,
      selectionRender: renderSelection,
    }),
  ]
  if (canEdit) {
    extensions.push(TrailingNode, Placeholder.configure({ placeholder: 'Start drafting here…' }))
  }
  return extensions
}
