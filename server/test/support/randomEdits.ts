import { DOCUMENT_FIELD, VARIABLES_FIELD } from '@accord/shared/schema'
import * as prng from 'lib0/prng'
import * as Y from 'yjs'

/**
 * Random edits of a document's Yjs tree, as editors make them, within what the server's
 * update policy allows (collab/updatePolicy.ts: the schema's node, mark and attribute names).
 * An edit outside it would be refused, and a refused edit diverges by design.
 */

const MARKS: string[] = ['bold', 'italic', 'underline', 'strike']
const VARIABLE_KEYS: string[] = ['partyA', 'partyB', 'effectiveDate', 'term']

export type EditKind = 'block' | 'type' | 'erase' | 'format' | 'removeBlock' | 'heading' | 'variable'

export function shuffled<T>(gen: prng.PRNG, items: T[]): T[] {
  const copy = [...items]
  for (let index = copy.length - 1; index > 0; index--) {
    const other = prng.int32(gen, 0, index)
    ;[copy[index], copy[other]] = [copy[other]!, copy[index]!]
  }
  return copy
}

/** Makes one random edit in one transaction; returns what kind it was. */
export function randomEdit(gen: prng.PRNG, doc: Y.Doc): EditKind {
  const fragment = doc.getXmlFragment(DOCUMENT_FIELD)
  const texts = textsOf(fragment)
  const roll = prng.real53(gen)
  let kind: EditKind
  if (texts.length === 0 || roll < 0.18) kind = 'block'
  else if (roll < 0.55) kind = 'type'
  else if (roll < 0.7) kind = 'erase'
  else if (roll < 0.82) kind = 'format'
  else if (roll < 0.89) kind = fragment.length > 1 ? 'removeBlock' : 'type'
  else if (roll < 0.94) kind = 'heading'
  else kind = 'variable'
  doc.transact(() => {
    switch (kind) {
      case 'block':
        fragment.insert(prng.int32(gen, 0, fragment.length), [randomBlock(gen)])
        return
      case 'type': {
        const text = prng.oneOf(gen, texts)
        text.insert(prng.int32(gen, 0, text.length), words(gen), prng.bool(gen) ? undefined : { [prng.oneOf(gen, MARKS)]: {} })
        return
      }
      case 'erase': {
        const text = prng.oneOf(gen, texts)
        if (text.length === 0) return
        const index = prng.int32(gen, 0, text.length - 1)
        text.delete(index, prng.int32(gen, 1, Math.min(12, text.length - index)))
        return
      }
      case 'format': {
        const text = prng.oneOf(gen, texts)
        if (text.length === 0) return
        const index = prng.int32(gen, 0, text.length - 1)
        const length = prng.int32(gen, 1, text.length - index)
        text.format(index, length, { [prng.oneOf(gen, MARKS)]: prng.bool(gen) ? {} : null })
        return
      }
      case 'removeBlock':
        fragment.delete(prng.int32(gen, 0, fragment.length - 1), 1)
        return
      case 'heading': {
        const headings = fragment.toArray().filter((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === 'heading')
        if (headings.length === 0) fragment.insert(prng.int32(gen, 0, fragment.length), [block('heading', words(gen), { level: 2 })])
        else prng.oneOf(gen, headings).setAttribute('level', prng.int32(gen, 1, 3) as unknown as string)
        return
      }
      case 'variable':
        doc.getMap(VARIABLES_FIELD).set(prng.oneOf(gen, VARIABLE_KEYS), prng.word(gen, 1, 30))
        return
    }
  })
  return kind
}

/** Every text node of the document, however deeply nested. */
function textsOf(parent: Y.XmlFragment | Y.XmlElement): Y.XmlText[] {
  const texts: Y.XmlText[] = []
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlText) texts.push(child)
    else if (child instanceof Y.XmlElement) texts.push(...textsOf(child))
  }
  return texts
}

function words(gen: prng.PRNG): string {
  return Array.from({ length: prng.int32(gen, 1, 4) }, () => prng.word(gen, 1, 9)).join(' ') + ' '
}

function block(name: string, content: string, attributes: Record<string, unknown> = {}): Y.XmlElement {
  const element = new Y.XmlElement(name)
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value as string)
  element.insert(0, [new Y.XmlText(content)])
  return element
}

function randomBlock(gen: prng.PRNG): Y.XmlElement {
  const roll = prng.real53(gen)
  if (roll < 0.6) return block('paragraph', words(gen))
  if (roll < 0.75) return block('heading', words(gen), { level: prng.int32(gen, 1, 3) })
  const wrapper = new Y.XmlElement(roll < 0.88 ? 'blockquote' : 'bulletList')
  const item = wrapper.nodeName === 'bulletList' ? new Y.XmlElement('listItem') : null
  const paragraph = block('paragraph', words(gen))
  if (item) {
    item.insert(0, [paragraph])
    wrapper.insert(0, [item])
  } else {
    wrapper.insert(0, [paragraph])
  }
  return wrapper
}

/** A document's content and state, in a form two documents can be compared by. */
export function documentFingerprint(doc: Y.Doc): { content: string; variables: unknown; state: Record<string, number> } {
  const state = Object.fromEntries([...Y.decodeStateVector(Y.encodeStateVector(doc))].sort(([a], [b]) => a - b).map(([client, clock]) => [String(client), clock]))
  return {
    content: doc.getXmlFragment(DOCUMENT_FIELD).toString(),
    variables: doc.getMap(VARIABLES_FIELD).toJSON(),
    state,
  }
}
