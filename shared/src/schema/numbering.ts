import type { Node as ProseMirrorNode } from '@tiptap/pm/model'

/**
 * Clause numbers are computed, never typed: top-level clauses count 1, 2, 3 in document
 * order (headings and paragraphs between them do not count), and a clause's sub-clauses
 * count 1.1, 1.2, 1.2.1 beneath it. One function, used by the editor, the outline, cross-
 * references and every export, so they can never disagree.
 */
export interface NumberedClause {
  id: string
  number: string
  title: string
  depth: number
  /** Position of the clause node in the document. */
  pos: number
  /** The template it was inserted from, if any. */
  templateId: string | null
  templateVersion: number | null
}

export function numberClauses(doc: ProseMirrorNode): NumberedClause[] {
  const clauses: NumberedClause[] = []
  const visit = (parent: ProseMirrorNode, parentPos: number, prefix: string, depth: number) => {
    let count = 0
    parent.forEach((child, offset) => {
      if (child.type.name !== 'clause') return
      count++
      const number = prefix ? `${prefix}.${count}` : String(count)
      const pos = parentPos + offset
      clauses.push({
        id: String(child.attrs.id ?? ''),
        number,
        title: child.firstChild?.textContent ?? '',
        depth,
        pos,
        templateId: (child.attrs.templateId as string | null) ?? null,
        templateVersion: (child.attrs.templateVersion as number | null) ?? null,
      })
      visit(child, pos + 1, number, depth + 1)
    })
  }
  visit(doc, 0, '', 0)
  return clauses
}

/** clause id → number, for cross-references. The first clause wins when ids repeat. */
export function clauseNumberById(doc: ProseMirrorNode): Map<string, string> {
  const numbers = new Map<string, string>()
  for (const clause of numberClauses(doc)) if (clause.id && !numbers.has(clause.id)) numbers.set(clause.id, clause.number)
  return numbers
}
