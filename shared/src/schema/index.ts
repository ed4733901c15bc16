import { getSchema, type AnyExtension } from '@tiptap/core'
import { StarterKit } from '@tiptap/starter-kit'
import { isAllowedLink } from '../links.js'

/**
 * The one definition of what an Accord document may contain, shared by the browser
 * editor and the server. It carries no plugin that writes to the document by itself
 * (history, trailing node): the editor adds those only for people who may edit, because
 * a read-only member's editor must never produce a write.
 */
export function documentExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      undoRedo: false,
      trailingNode: false,
      codeBlock: false,
      code: false,
      horizontalRule: false,
      heading: { levels: [1, 2, 3] },
      link: {
        openOnClick: false,
        autolink: true,
        defaultProtocol: 'https',
        protocols: ['http', 'https', 'mailto'],
        isAllowedUri: (url) => isAllowedLink(url),
        HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: null },
      },
    }),
  ]
}

export const documentSchema = getSchema(documentExtensions())

/** The Yjs XML fragment that holds the text (Tiptap's default field). */
export const DOCUMENT_FIELD = 'default'
