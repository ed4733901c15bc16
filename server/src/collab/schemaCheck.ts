import { DOCUMENT_FIELD, documentSchema } from '@accord/shared/schema'
import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap'
import type * as Y from 'yjs'

/**
 * The full check the per-update allow-list cannot do: is the whole document a valid
 * ProseMirror document under the shared schema (right nesting, required children)?
 * Throws with ProseMirror's explanation when it is not.
 */
export function checkDocument(doc: Y.Doc): void {
  const json = yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(DOCUMENT_FIELD))
  documentSchema.nodeFromJSON(json).check()
}
