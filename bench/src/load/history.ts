/**
 * Builds a large MOU from a real edit history through the server's own protocol: several
 * authors take turns, each making a burst of small edits (phrases typed at the end of a
 * paragraph or in the middle of one, new paragraphs, short deletions), and waits until the
 * others have received the burst from the server before the next turn, so no edit builds on
 * text the server has not seen. A seeded generator makes the same history for every server.
 *
 * The paragraphs sit at the top level of the document (`paragraphs`, the worst case for an
 * editor: every block is a child of the document), or in numbered clauses as Accord's editor
 * and clause library build an MOU (`clauses`: a clause is a title and its paragraphs, and about
 * one new paragraph in five starts a new clause).
 */
import * as Y from 'yjs'
import type { Endpoint } from './socket.js'
import { StampBook } from './stamps.js'
import { waitUntil } from './wait.js'
import { Writer } from './writer.js'

export interface HistoryTask {
  authors: Endpoint[]
  words: number
  seed: number
  /** Edits per author turn. */
  burst: number
  maxMs: number
  structure?: DocumentStructure
}

export type DocumentStructure = 'paragraphs' | 'clauses'

/** Of the new paragraphs in a document of clauses, the share that starts a new clause. */
const NEW_CLAUSE_SHARE = 0.2

export interface HistoryResult {
  edits: number
  words: number
  paragraphs: number
  /** Children of the document: paragraphs, or clauses. */
  topLevelBlocks: number
  stateBytes: number
  buildMs: number
  refusals: number
}

const VOCABULARY = (
  'the district police department school board agrees shall provide notice within days of any incident ' +
  'involving students on campus officer liaison quarterly review public records data sharing agreement ' +
  'consent parent guardian superintendent chief report training de-escalation restorative practices ' +
  'community members committee meeting minutes published annually memorandum of understanding terms ' +
  'termination amendment written mutual party parties responsibilities funding costs reimbursement ' +
  'confidential information federal state law compliance complaint process oversight evaluation'
).split(' ')

/** mulberry32: small, fast, and the same sequence on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function countWords(parent: Y.XmlFragment | Y.XmlElement): number {
  let words = 0
  for (const node of parent.toArray()) {
    if (node instanceof Y.XmlElement) words += countWords(node)
    else if (node instanceof Y.XmlText) words += node.toString().split(/\s+/).filter(Boolean).length
  }
  return words
}

interface Paragraphs {
  length: number
  get(index: number): Y.XmlElement | undefined
}

/** The document's paragraphs in order: its children, or (clauses) walked each time. */
function paragraphsIn(fragment: Y.XmlFragment, structure: DocumentStructure): Paragraphs {
  if (structure === 'clauses') {
    const paragraphs = paragraphsOf(fragment)
    return { length: paragraphs.length, get: (index) => paragraphs[index] }
  }
  return { length: fragment.length, get: (index) => fragment.get(index) as Y.XmlElement | undefined }
}

function paragraphsOf(fragment: Y.XmlFragment): Y.XmlElement[] {
  const paragraphs: Y.XmlElement[] = []
  for (const node of fragment.toArray()) {
    if (!(node instanceof Y.XmlElement)) continue
    if (node.nodeName === 'paragraph') paragraphs.push(node)
    else if (node.nodeName === 'clause') {
      for (const child of node.toArray()) if (child instanceof Y.XmlElement && child.nodeName === 'paragraph') paragraphs.push(child)
    }
  }
  return paragraphs
}

export class HistoryBuilder {
  readonly authors: Writer[]
  private readonly next: () => number
  private readonly structure: DocumentStructure
  private clauses = 0

  constructor(private readonly task: HistoryTask) {
    this.structure = task.structure ?? 'paragraphs'
    const book = new StampBook()
    this.authors = task.authors.map((endpoint, index) => new Writer(endpoint, { name: `author ${index}`, book, applyRemote: true }))
    this.next = random(task.seed)
  }

  async build(): Promise<HistoryResult> {
    const start = performance.now()
    await Promise.all(this.authors.map((author) => author.socket.ready))
    const first = this.authors[0]!
    if (first.fragment.length === 0) this.paragraph(first, 0)
    await this.settle(first)

    let edits = 0
    let estimatedWords = 0
    for (let turn = 0; estimatedWords < this.task.words; turn++) {
      if (performance.now() - start > this.task.maxMs) throw new Error(`history not built within ${this.task.maxMs} ms`)
      const author = this.authors[turn % this.authors.length]!
      for (let i = 0; i < this.task.burst; i++) estimatedWords += this.edit(author)
      edits += this.task.burst
      await this.settle(author)
      if (turn % 200 === 199) estimatedWords = countWords(first.fragment)
    }
    // Everyone has everything, and (Accord) it is stored.
    const saved = await waitUntil(
      () => this.authors.every((author) => author.savedClock === 0 || author.savedClock >= author.clock),
      10_000,
    )
    if (!saved) throw new Error('the history was not acknowledged as saved')
    return {
      edits,
      words: countWords(first.fragment),
      paragraphs: paragraphsOf(first.fragment).length,
      topLevelBlocks: first.fragment.length,
      stateBytes: Y.encodeStateAsUpdate(first.doc).byteLength,
      buildMs: performance.now() - start,
      refusals: this.authors.reduce((sum, author) => sum + author.socket.refusals.length, 0),
    }
  }

  /** Closes every author except the first `keep` (Hocuspocus forgets a document nobody has open). */
  release(keep: number): void {
    for (const author of this.authors.slice(keep)) author.close()
  }

  closeAll(): void {
    for (const author of this.authors) author.close()
  }

  /** Waits until every other author has received everything `author` sent. */
  private async settle(author: Writer): Promise<void> {
    const clock = author.clock
    const arrived = await waitUntil(
      () => this.authors.every((other) => Y.getState(other.doc.store, author.clientId) >= clock),
      10_000,
      1,
    )
    const refusals = this.authors.flatMap((other) => other.socket.refusals)
    if (refusals.length > 0) throw new Error(`the server refused an edit: ${refusals[0]}`)
    if (!arrived) throw new Error('an author’s edits did not reach the others')
  }

  /** One small edit; returns the words it added (roughly). */
  private edit(author: Writer): number {
    const paragraphs = paragraphsIn(author.fragment, this.structure)
    const roll = this.next()
    if (roll < 0.06 || paragraphs.length === 0) {
      const words = this.phrase(3 + Math.floor(this.next() * 8))
      this.paragraph(author, this.pick(paragraphs.length + 1, 0.7), words, paragraphs)
      return words.split(' ').length
    }
    const child = paragraphs.get(this.pick(paragraphs.length, 0.6))?.get(0)
    const text = child instanceof Y.XmlText ? child : null
    if (!text) return 0
    if (roll < 0.14 && text.length > 20) {
      const at = Math.floor(this.next() * (text.length - 12))
      text.delete(at, 1 + Math.floor(this.next() * 10))
      return -1
    }
    const words = this.phrase(1 + Math.floor(this.next() * 8))
    const atEnd = this.next() < 0.7
    const at = atEnd ? text.length : this.wordBoundary(text)
    text.insert(at, at === 0 ? `${words} ` : ` ${words}`)
    return words.split(' ').length
  }

  /** A new paragraph that becomes the `index`th (in a document of clauses, sometimes in a new clause after it). */
  private paragraph(author: Writer, index: number, content = '', paragraphs = paragraphsIn(author.fragment, this.structure)): void {
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [new Y.XmlText(content)])
    const fragment = author.fragment
    if (this.structure === 'paragraphs') {
      fragment.insert(Math.min(index, fragment.length), [paragraph])
      return
    }
    const before = paragraphs.get(Math.min(index, paragraphs.length) - 1)
    const clause = before?.parent instanceof Y.XmlElement ? before.parent : null
    if (!clause || this.next() < NEW_CLAUSE_SHARE) {
      const after = clause ? fragment.toArray().indexOf(clause) + 1 : 0
      fragment.insert(after, [this.newClause(paragraph)])
      return
    }
    clause.insert(clause.toArray().indexOf(before!) + 1, [paragraph])
  }

  private newClause(paragraph: Y.XmlElement): Y.XmlElement {
    const clause = new Y.XmlElement('clause')
    clause.setAttribute('id', `c${this.task.seed.toString(36)}x${(this.clauses++).toString(36)}`)
    const title = new Y.XmlElement('clauseTitle')
    title.insert(0, [new Y.XmlText(this.phrase(2 + Math.floor(this.next() * 4)))])
    clause.insert(0, [title, paragraph])
    return clause
  }

  /** Mostly near the end (drafting moves forward), sometimes anywhere (revising). */
  private pick(length: number, nearEnd: number): number {
    if (length <= 1) return 0
    if (this.next() < nearEnd) return Math.max(0, length - 1 - Math.floor(this.next() * Math.min(length, 5)))
    return Math.floor(this.next() * length)
  }

  private wordBoundary(text: Y.XmlText): number {
    const content = text.toString()
    const space = content.indexOf(' ', Math.floor(this.next() * content.length))
    return space === -1 ? content.length : space
  }

  private phrase(words: number): string {
    return Array.from({ length: words }, () => VOCABULARY[Math.floor(this.next() * VOCABULARY.length)]!).join(' ')
  }
}
