/**
 * Remote collaborators for the editor scenario (7): each holds the whole document and moves
 * its caret to a random place every so often, as people reading along and clicking around do;
 * and, when asked, one more who types a paragraph of their own at the end of the document.
 */
import * as Y from 'yjs'
import type { Endpoint } from './socket.js'
import { StampBook } from './stamps.js'
import { Writer } from './writer.js'

export interface CaretsTask {
  endpoints: Endpoint[]
  intervalMs: number
  seed: number
}

export interface TypistTask {
  endpoint: Endpoint
  intervalMs: number
}

let running: { writers: Writer[]; timer: NodeJS.Timeout } | null = null
let typing: { typist: Writer; timer: NodeJS.Timeout } | null = null

export async function startCarets(task: CaretsTask): Promise<{ carets: number }> {
  stopCarets()
  const book = new StampBook()
  const writers = task.endpoints.map((endpoint, index) => new Writer(endpoint, { name: `reader ${index}`, book, applyRemote: true }))
  await Promise.all(writers.map((writer) => writer.socket.ready))
  let state = task.seed >>> 0
  const random = () => ((state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296)
  let next = 0
  // Spread over the interval: one caret moves at a time, every interval / carets.
  const timer = setInterval(() => {
    const writer = writers[next++ % writers.length]!
    const text = randomText(writer.fragment, random)
    if (text) writer.sendCursor(text, Math.floor(random() * (text.length + 1)))
  }, Math.max(1, Math.round(task.intervalMs / writers.length)))
  running = { writers, timer }
  return { carets: writers.length }
}

/** The text of a random block: a top-level paragraph, or a clause's title or one of its paragraphs. */
function randomText(fragment: Y.XmlFragment, random: () => number): Y.XmlText | null {
  let node = fragment.get(Math.floor(random() * fragment.length))
  if (node instanceof Y.XmlElement && node.nodeName === 'clause') node = node.get(Math.floor(random() * node.length))
  const text = node instanceof Y.XmlElement ? node.get(0) : null
  return text instanceof Y.XmlText ? text : null
}

/** A drafter typing one character every `intervalMs` into a new paragraph at the end. */
export async function startTypist(task: TypistTask): Promise<null> {
  stopTypist()
  const typist = new Writer(task.endpoint, { name: 'remote typist', book: new StampBook(), applyRemote: true })
  await typist.socket.ready
  typist.startParagraph()
  typing = { typist, timer: setInterval(() => typist.keystroke(performance.now()), task.intervalMs) }
  return null
}

export function stopTypist(): void {
  if (!typing) return
  clearInterval(typing.timer)
  typing.typist.close()
  typing = null
}

export function stopCarets(): void {
  stopTypist()
  if (!running) return
  clearInterval(running.timer)
  for (const writer of running.writers) writer.close()
  running = null
}
