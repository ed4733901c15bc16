import type { JSONContent } from '@tiptap/core'
import type { ClauseSource } from './source.js'

const PLACEHOLDER = /\{\{([a-zA-Z][a-zA-Z0-9]{0,39})\}\}/g

/** Text with `{{key}}` placeholders → text and variable nodes. */
export function inlineContent(text: string): JSONContent[] {
  const content: JSONContent[] = []
  let last = 0
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (match.index > last) content.push({ type: 'text', text: text.slice(last, match.index) })
    content.push({ type: 'variable', attrs: { key: match[1] } })
    last = match.index + match[0].length
  }
  if (last < text.length) content.push({ type: 'text', text: text.slice(last) })
  return content
}

function block(paragraph: string): JSONContent {
  const lines = paragraph.split('\n')
  if (lines.length > 0 && lines.every((line) => line.startsWith('- '))) {
    return {
      type: 'bulletList',
      content: lines.map((line) => ({ type: 'listItem', content: [{ type: 'paragraph', content: inlineContent(line.slice(2)) }] })),
    }
  }
  return { type: 'paragraph', content: inlineContent(paragraph.replace(/\n/g, ' ')) }
}

export interface ClauseOrigin {
  templateId: string
  templateVersion: number
}

/**
 * A template (or any clause source) as a `clause` node of the document schema, with fresh
 * clause ids from `newId`, and the template it came from on the outermost clause.
 */
export function clauseFromSource(source: ClauseSource, newId: () => string, origin?: ClauseOrigin): JSONContent {
  return {
    type: 'clause',
    attrs: { id: newId(), templateId: origin?.templateId ?? null, templateVersion: origin?.templateVersion ?? null },
    content: [
      { type: 'clauseTitle', content: inlineContent(source.title) },
      ...source.body.map(block),
      ...(source.subclauses ?? []).map((subclause) => clauseFromSource(subclause, newId)),
    ],
  }
}

/** Every variable key a clause source uses, in order of first use. */
export function variablesIn(source: ClauseSource): string[] {
  const keys = new Set<string>()
  const visit = (clause: ClauseSource) => {
    for (const text of [clause.title, ...clause.body]) for (const match of text.matchAll(PLACEHOLDER)) keys.add(match[1]!)
    clause.subclauses?.forEach(visit)
  }
  visit(source)
  return [...keys]
}

/** A new, short clause id: unique enough within one document, readable in exports and URLs. */
export function newClauseId(): string {
  const bytes = new Uint8Array(9)
  globalThis.crypto.getRandomValues(bytes)
  return 'c' + Array.from(bytes, (byte) => (byte % 36).toString(36)).join('')
}
