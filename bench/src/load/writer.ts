/**
 * A writing client: a real Y.Doc whose local edits are sent as real Yjs updates, in the one
 * shape the editor schema allows here (XmlFragment 'default' > paragraph > XmlText). By
 * default it does not apply other writers' updates (it only notes their arrival), so a stress
 * run measures the server, not the generator; authors building a document's history apply
 * everything (`applyRemote`).
 */
import * as Y from 'yjs'
import { encodeAwareness } from '../protocol.js'
import { SyncSocket, type Endpoint, type SocketOwner } from './socket.js'
import { Arrivals, type StampBook } from './stamps.js'

const REMOTE = Symbol('remote')
const TYPED = 'the district and the police department agree to meet each quarter and to publish the minutes '

export interface WriterOptions {
  name: string
  book: StampBook
  /** Apply every incoming update to the local doc (authors); readers of arrivals only otherwise. */
  applyRemote?: boolean
}

export class Writer implements SocketOwner {
  readonly doc = new Y.Doc()
  socket: SyncSocket
  readonly arrivals: Arrivals
  /** Keystroke-to-Saved delays (Accord's message 100), recorded while the book records. */
  savedLatencies: number[] = []
  /** The stored clock of this writer's client id, per the last Saved message. */
  savedClock = 0
  private text: Y.XmlText | null = null
  private awarenessClock = 1
  private typed = 0
  private readonly applyRemote: boolean

  constructor(
    endpoint: Endpoint,
    private readonly options: WriterOptions,
  ) {
    this.applyRemote = options.applyRemote ?? false
    options.book.register(this.doc.clientID)
    this.arrivals = new Arrivals(options.book, this.doc.clientID)
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) this.socket.sendUpdate(update)
    })
    this.socket = new SyncSocket(endpoint, this, encodeAwareness([{ clientId: this.doc.clientID, clock: 1, state: { user: this.user } }]))
  }

  /**
   * Drops the connection at once (a lost network, not a goodbye); edits made meanwhile stay
   * in the doc and go to the server in the sync exchange of `reconnect`.
   */
  disconnect(): void {
    this.socket.terminate()
  }

  /** Connects again as the y-websocket provider does: sync step 1 with our state, answer the server's. */
  reconnect(): SyncSocket {
    const awareness = encodeAwareness([{ clientId: this.doc.clientID, clock: ++this.awarenessClock, state: { user: this.user } }])
    this.socket = new SyncSocket(this.socket.endpoint, this, awareness)
    return this.socket
  }


  get clientId(): number {
    return this.doc.clientID
  }

  get fragment(): Y.XmlFragment {
    return this.doc.getXmlFragment('default')
  }

  get clock(): number {
    return Y.getState(this.doc.store, this.doc.clientID)
  }

  private get user() {
    return { name: this.options.name, color: '#30bced' }
  }

  stateVector(): Uint8Array {
    return Y.encodeStateVector(this.doc)
  }

  diff(serverStateVector: Uint8Array): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc, serverStateVector)
  }

  onSynced(update: Uint8Array): void {
    Y.applyUpdate(this.doc, update, REMOTE)
  }

  /** An edit anywhere in the document: a character typed at a random place, sometimes a deletion. */
  randomEdit(random: () => number): void {
    const paragraphs = this.fragment.length
    if (paragraphs === 0) return this.startParagraph('x')
    const node = this.fragment.get(Math.floor(random() * paragraphs))
    const text = node instanceof Y.XmlElement ? node.get(0) : null
    if (!(text instanceof Y.XmlText)) return
    if (random() < 0.15 && text.length > 0) text.delete(Math.floor(random() * text.length), 1)
    else text.insert(Math.floor(random() * (text.length + 1)), TYPED[this.typed++ % TYPED.length]!)
  }

  onUpdate(update: Uint8Array, at: number): void {
    this.arrivals.receive(update, at)
    if (this.applyRemote) Y.applyUpdate(this.doc, update, REMOTE)
  }

  onSaved(stateVector: Uint8Array, at: number): void {
    const stored = Y.decodeStateVector(stateVector).get(this.doc.clientID) ?? 0
    for (let clock = this.savedClock; clock < stored; clock++) {
      const sent = this.options.book.timeOf(this.doc.clientID, clock)
      if (sent !== undefined) this.savedLatencies.push(at - sent)
    }
    this.savedClock = Math.max(this.savedClock, stored)
  }

  /** Starts this writer's own paragraph at the end of the document (Enter, or a paste of `content`). */
  startParagraph(content = ''): void {
    this.doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph')
      this.text = new Y.XmlText(content)
      paragraph.insert(0, [this.text])
      this.fragment.push([paragraph])
    })
  }

  /** One keystroke: one character at the caret (the end of this writer's paragraph), then the caret. */
  keystroke(at: number): void {
    const text = this.text
    if (!text) throw new Error('startParagraph first')
    const clock = this.clock
    text.insert(text.length, TYPED[this.typed++ % TYPED.length]!)
    this.options.book.stamp(this.doc.clientID, clock, at)
    this.sendCursor(text, text.length)
  }

  /** The caret as y-prosemirror publishes it: relative positions of anchor and head. */
  sendCursor(text: Y.XmlText, index: number): void {
    const position = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, index))
    const state = { user: this.user, cursor: { anchor: position, head: position } }
    this.socket.sendAwareness(encodeAwareness([{ clientId: this.doc.clientID, clock: ++this.awarenessClock, state }]))
  }

  close(): void {
    this.socket.close()
    this.doc.destroy()
  }
}
