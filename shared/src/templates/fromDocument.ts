import type { JSONContent } from '@tiptap/core'
import type { ClauseSource } from './source.js'

/** Inline content back to template text: variables become `{{key}}`, other atoms drop out. */
function inlineText(content: JSONContent[] | undefined): string {
  return (content ?? [])
    .map((node) => {
      if (node.type === 'text') return node.text ?? ''
      if (node.type === 'variable') return `{{${String(node.attrs?.key ?? '')}}}`
      if (node.type === 'hardBreak') return ' '
      return ''
    })
    .join('')
}

function blockText(block: JSONContent): string {
  if (block.type === 'bulletList' || block.type === 'orderedList') {
    return (block.content ?? []).map((item) => `- ${(item.content ?? []).map(blockText).join(' ')}`).join('\n')
  }
  if (block.content?.some((child) => child.type === 'paragraph' || child.type === 'bulletList')) {
    return (block.content ?? []).map(blockText).join('\n\n')
  }
  return inlineText(block.content)
}

/**
 * A clause of the document as template source: the inverse of `clauseFromSource`, used to
 * save a clause as a template and to compare a clause with the template it came from.
 * Formatting and cross-references are not kept (templates are plain text with variables).
 */
export function sourceFromClause(clause: JSONContent): ClauseSource {
  const [title, ...rest] = clause.content ?? []
  const subclauses = rest.filter((node) => node.type === 'clause').map(sourceFromClause)
  return {
    title: inlineText(title?.content),
    body: rest.filter((node) => node.type !== 'clause').map(blockText).filter((text) => text.trim() !== ''),
    ...(subclauses.length > 0 ? { subclauses } : {}),
  }
}

/** The words of a clause source, in order, for comparing two versions of a clause. */
export function sourceWords(source: ClauseSource): string[] {
  return [source.title, ...source.body, ...(source.subclauses ?? []).flatMap(sourceWords)]
    .join(' ')
    .split(/\s+/)
    .filter(Boolean)
}
