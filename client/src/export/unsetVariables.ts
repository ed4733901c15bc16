import { variableLabel } from '@accord/shared'
import { DOCUMENT_FIELD, VARIABLES_FIELD, type SignatoryLine } from '@accord/shared/schema'
import * as Y from 'yjs'

/**
 * The variables the text uses (inline, or as {{key}} in the signature lines) that have no value
 * yet, in order of first use: what an export would mark "not set".
 */
export function unsetVariables(doc: Y.Doc): { key: string; label: string }[] {
  const values = doc.getMap<string>(VARIABLES_FIELD)
  const used: string[] = []
  const use = (key: string) => {
    if (key && !used.includes(key)) used.push(key)
  }
  const visit = (node: Y.XmlElement | Y.XmlFragment) => {
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      if (child.nodeName === 'variable') use(String(child.getAttribute('key') ?? ''))
      if (child.nodeName === 'signatureBlock') {
        const lines = child.getAttribute('signatories') as unknown
        for (const line of Array.isArray(lines) ? (lines as SignatoryLine[]) : []) {
          for (const match of `${line.party} ${line.name} ${line.title}`.matchAll(/\{\{([a-zA-Z][a-zA-Z0-9]*)\}\}/g)) use(match[1]!)
        }
      }
      visit(child)
    }
  }
  visit(doc.getXmlFragment(DOCUMENT_FIELD))
  return used.filter((key) => !values.get(key)?.trim()).map((key) => ({ key, label: variableLabel(key) }))
}
