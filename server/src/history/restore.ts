import { DOCUMENT_FIELD, documentSchema, VARIABLES_FIELD } from '@accord/shared/schema'
import { updateYFragment, yXmlFragmentToProsemirror } from '@tiptap/y-tiptap'
import * as Y from 'yjs'

/**
 * Turns the live document into `state` with the smallest edit y-prosemirror can find: blocks
 * that are equal stay untouched, changed blocks keep their common beginning and end and only
 * the middle is replaced (the same reconciliation the editor uses for every local edit). Text
 * that did not change keeps its Yjs ids, so comment anchors (relative positions) on it survive.
 * Run inside a transaction on the live doc (`Rooms.applyServerEdit`), so it is one recorded,
 * attributed change that every screen receives.
 */
export function restoreInto(doc: Y.Doc, state: Uint8Array): void {
  const version = new Y.Doc()
  Y.applyUpdate(version, state)
  const target = yXmlFragmentToProsemirror(documentSchema, version.getXmlFragment(DOCUMENT_FIELD))
  const wanted = new Map<string, unknown>()
  version.getMap(VARIABLES_FIELD).forEach((value, key) => wanted.set(key, value))
  version.destroy()

  updateYFragment(doc, doc.getXmlFragment(DOCUMENT_FIELD), target, { mapping: new Map(), isOMark: new Map() })
  const variables = doc.getMap(VARIABLES_FIELD)
  for (const key of [...variables.keys()]) if (!wanted.has(key)) variables.delete(key)
  for (const [key, value] of wanted) if (variables.get(key) !== value) variables.set(key, value)
}
