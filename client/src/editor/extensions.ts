// Brings the StarterKit extensions' command types (toggleBold, setLink, ...) into the editor's types.
import type {} from '@tiptap/starter-kit'
import { AFFILIATION_COLORS, type User } from '@accord/shared'
import { documentExtensions, VARIABLES_FIELD } from '@accord/shared/schema'
import type { AnyExtension } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import { Placeholder, TrailingNode } from '@tiptap/extensions'
import type * as Y from 'yjs'
import type { Collaboration as LiveDocument } from '../collab/collaboration'
import { BlockGroups } from './blockGroups'
import { RemoteCarets } from './carets'
import { ClauseCommands } from './clauseCommands'
import { CommentHighlights, type CommentHighlightsOptions } from './commentHighlights'
import { MouView } from './mouView'
import { PendingSelectionFirst } from './pendingSelection'
import { signatureBlockView } from './signatureBlockView'

/** The document's variable values, from the Yjs map beside the text. */
export function variablesOf(doc: Y.Doc): ReadonlyMap<string, string> {
  const values = new Map<string, string>()
  doc.getMap<string>(VARIABLES_FIELD).forEach((value, key) => {
    if (typeof value === 'string') values.set(key, value)
  })
  return values
}

/**
 * The editor's extensions: the shared document schema, bound to the live Y.Doc. Plugins that
 * write to the document by themselves (the trailing paragraph, unique clause ids) are added only
 * for people who may edit, so a read-only member's editor never produces a write.
 */
export function editorExtensions(
  live: LiveDocument,
  user: User,
  canEdit: boolean,
  comments: CommentHighlightsOptions,
): AnyExtension[] {
  const variables = () => variablesOf(live.doc)
  const extensions: AnyExtension[] = [
    ...documentExtensions().map((extension) => (extension.name === 'signatureBlock' ? signatureBlockView(variables) : extension)),
    MouView.configure({ variables }),
    BlockGroups,
    CommentHighlights.configure(comments),
    Collaboration.configure({ document: live.doc, field: 'default' }),
    PendingSelectionFirst.configure({ live }),
    RemoteCarets.configure({
      awareness: live.provider.awareness,
      user: { username: user.username, name: user.displayName, affiliation: user.affiliation, color: AFFILIATION_COLORS[user.affiliation] },
    }),
  ]
  if (canEdit) {
    extensions.push(
      TrailingNode,
      ClauseCommands,
      Placeholder.configure({
        placeholder: ({ node }) => (node.type.name === 'clauseTitle' ? 'Clause title' : 'Start drafting here…'),
        includeChildren: true,
      }),
    )
  }
  return extensions
}
