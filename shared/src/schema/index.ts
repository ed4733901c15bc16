import { getSchema, Node, type AnyExtension } from '@tiptap/core'
import { StarterKit } from '@tiptap/starter-kit'
import { isAllowedLink } from '../links.js'
import { Clause, ClauseTitle, CrossReference, SignatureBlock, Variable } from './mou.js'

export * from './mou.js'
export * from './numbering.js'

/** A document holds ordinary blocks (a preamble, recitals, headings) among its clauses. */
const MouDocument = Node.create({ name: 'doc', topNode: true, content: '(block | section)+' })

/**
 * The one definition of what an Accord document may contain, shared by the browser
 * editor and the server. It carries no plugin that writes to the document by itself
 * (history, trailing node): the editor adds those only for people who may edit, because
 * a read-only member's editor must never produce a write.
 */
export function documentExtensions(): AnyExtension[] {
  return [
    MouDocument,
    Clause,
    ClauseTitle,
    Variable,
    CrossReference,
    SignatureBlock,
    StarterKit.configure({
      document: false,
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

/** The Yjs map beside the text that holds the document's variable values (key → text). */
export const VARIABLES_FIELD = 'variables'

/** A variable's value is a short phrase: a name, a date, a number. */
export const MAX_VARIABLE_VALUE_LENGTH = 300
