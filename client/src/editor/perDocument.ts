import type { Node as ProseMirrorNode } from '@tiptap/pm/model'

/**
 * Remembers a whole-document computation per document version. Editor-state selectors run on
 * every transaction, and most transactions (a caret moving, another person's caret redrawn)
 * leave the document itself unchanged: they then cost a lookup, not a walk over a long MOU.
 */
export function perDocument<T>(compute: (doc: ProseMirrorNode) => T): (doc: ProseMirrorNode) => T {
  const results = new WeakMap<ProseMirrorNode, T>()
  return (doc) => {
    if (results.has(doc)) return results.get(doc)!
    const result = compute(doc)
    results.set(doc, result)
    return result
  }
}
