import { clauseFromSource, variableLabel, type ClauseSource } from '@accord/shared'
import type { JSONContent } from '@tiptap/core'
import type { ReactNode } from 'react'

function inline(content: JSONContent[] | undefined): ReactNode[] {
  return (content ?? []).map((node, index) => {
    if (node.type === 'text') return node.text
    if (node.type === 'variable') {
      const key = String(node.attrs?.key ?? '')
      // As a drafter first sees it: an unset variable, named by its label.
      return <span key={index} className="variable is-unset" data-value={variableLabel(key)} title={`{{${key}}}`} />
    }
    return null
  })
}

function Block({ node, number }: { node: JSONContent; number: string }) {
  if (node.type === 'paragraph') return <p>{inline(node.content)}</p>
  if (node.type === 'bulletList') {
    return (
      <ul>
        {(node.content ?? []).map((item, index) => (
          <li key={index}>
            {(item.content ?? []).map((child, childIndex) => (
              <Block key={childIndex} node={child} number={number} />
            ))}
          </li>
        ))}
      </ul>
    )
  }
  if (node.type !== 'clause') return null
  const [title, ...rest] = node.content ?? []
  let subclause = 0
  const titleContent = inline(title?.content)
  return (
    <section className="clause">
      <h4 className="clause-title" data-number={number}>
        {titleContent.length > 0 ? titleContent : <span className="clause-preview__untitled">Untitled clause</span>}
      </h4>
      {rest.map((child, index) => (
        <Block key={index} node={child} number={child.type === 'clause' ? `${number}.${++subclause}` : number} />
      ))}
    </section>
  )
}

/**
 * A clause source as the document will show it once inserted: through `clauseFromSource`, the
 * same conversion the editor uses, and with the document's styles. Numbered as clause 1.
 */
export function ClausePreview({ source, label = 'Preview' }: { source: ClauseSource; label?: string }) {
  const clause = clauseFromSource(source, () => 'preview')
  return (
    <div className="document-text clause-preview" role="group" aria-label={label}>
      <Block node={clause} number="1" />
    </div>
  )
}
