import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { checkDocument } from '../src/collab/schemaCheck.js'

function docWith(...elements: Array<[string, string]>): Y.Doc {
  const doc = new Y.Doc()
  doc.getXmlFragment('default').push(
    elements.map(([name, text]) => {
      const element = new Y.XmlElement(name)
      element.insert(0, [new Y.XmlText(text)])
      return element
    }),
  )
  return doc
}

describe('the full schema check', () => {
  it('passes a document the editor could have written', () => {
    expect(() => checkDocument(docWith(['heading', 'Purpose'], ['paragraph', 'The parties agree.']))).not.toThrow()
  })

  it('rejects allowed names in an impossible arrangement', () => {
    // Every name is on the allow-list, but a list item cannot stand at the top level.
    expect(() => checkDocument(docWith(['paragraph', 'x'], ['listItem', 'y']))).toThrow()
  })
})
