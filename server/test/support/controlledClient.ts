import { MessageType, type RefusedWrite } from '@accord/shared'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as prng from 'lib0/prng'
import WebSocket from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { shuffled } from './randomEdits.js'

const CONNECT_TIMEOUT_MS = 10_000

/** Where a client connects: a server in this process or in its own. */
export interface CollabTarget {
  url: string
  origin: string
}

/**
 * A y-protocols client (a Y.Doc and the sync exchange, as the y-websocket provider speaks it)
 * whose network the test plays: it can hold back what it sends and release it reordered,
 * buffer what it receives and apply it reordered, lose its connection (and what was in
 * flight), keep editing offline, and reconnect, sending its offline edits in the sync exchange.
 */
export class ControlledClient {
  readonly doc = new Y.Doc()
  readonly refusals: RefusedWrite[] = []
  readonly saveFailures: string[] = []
  readonly closes: number[] = []
  /** The state vector of what the server says it has stored, merged over every Saved received. */
  readonly savedVector = new Map<number, number>()
  /** How many Saved messages arrived (a newly joined socket gets one when nothing is pending). */
  savedMessages = 0
  private socket: WebSocket | null = null
  private sessionSeen = false
  private holding = false
  private held: Uint8Array[] = []
  private buffering = false
  private inbox: Uint8Array[] = []

  constructor(
    private readonly target: CollabTarget,
    readonly documentId: string,
    private readonly cookie: string,
  ) {
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this) return
      this.send(frame(MessageType.Sync, (encoder) => syncProtocol.writeUpdate(encoder, update)))
    })
  }

  get connected(): boolean {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN && this.sessionSeen
  }

  /** True once the server has stored every change this client made. */
  get saved(): boolean {
    return (this.savedVector.get(this.doc.clientID) ?? 0) >= Y.getState(this.doc.store, this.doc.clientID)
  }

  get pendingOut(): number {
    return this.held.length
  }

  get pendingIn(): number {
    return this.inbox.length
  }

  /** Opens a socket and starts the sync exchange; resolves once the server admitted it (or refused). */
  connect(): Promise<void> {
    if (this.socket) throw new Error('already connected')
    const socket = new WebSocket(`${this.target.url.replace(/^http/, 'ws')}/collab/${this.documentId}`, {
      headers: { cookie: this.cookie, origin: this.target.origin },
    })
    this.socket = socket
    this.sessionSeen = false
    socket.binaryType = 'nodebuffer'
    socket.on('message', (data: Buffer) => {
      if (this.socket !== socket) return
      const message = new Uint8Array(data)
      if (this.buffering) this.inbox.push(message)
      else this.receive(message)
    })
    socket.on('error', () => {})
    return new Promise((resolve, reject) => {
      const started = Date.now()
      socket.on('open', () => {
        this.send(frame(MessageType.Sync, (encoder) => syncProtocol.writeSyncStep1(encoder, this.doc)))
      })
      socket.on('close', (code) => {
        if (this.socket === socket) this.dropConnection()
        this.closes.push(code)
        resolve()
      })
      const admitted = setInterval(() => {
        if (this.sessionSeen || this.socket !== socket) {
          clearInterval(admitted)
          resolve()
        } else if (Date.now() - started > CONNECT_TIMEOUT_MS) {
          clearInterval(admitted)
          reject(new Error('the server neither admitted nor closed the socket'))
        }
      }, 5)
    })
  }

  /** The connection is lost: what was held back or not yet applied is lost with it. */
  disconnect(): void {
    const socket = this.socket
    this.dropConnection()
    socket?.terminate()
  }

  /** From now on, what this client sends on its current connection waits until `release`. */
  hold(): void {
    if (this.connected) this.holding = true
  }

  /** Sends what was held back, in a random order, and stops holding. */
  release(gen: prng.PRNG): void {
    this.holding = false
    for (const message of shuffled(gen, this.held.splice(0))) this.send(message)
  }

  /** From now on, what the server sends on the current connection waits until `deliver`. */
  buffer(): void {
    if (this.connected) this.buffering = true
  }

  /** Applies what was buffered, in a random order, and stops buffering. */
  deliver(gen: prng.PRNG): void {
    this.buffering = false
    for (const message of shuffled(gen, this.inbox.splice(0))) this.receive(message)
  }

  destroy(): void {
    this.disconnect()
    this.doc.destroy()
  }

  private dropConnection(): void {
    this.socket = null
    this.sessionSeen = false
    this.held = []
    this.inbox = []
    this.holding = false
    this.buffering = false
  }

  private send(message: Uint8Array): void {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return
    if (this.holding) this.held.push(message)
    else this.socket.send(message)
  }

  private receive(message: Uint8Array): void {
    const decoder = decoding.createDecoder(message)
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case MessageType.Sync: {
        const encoder = encoding.createEncoder()
        encoding.writeVarUint(encoder, MessageType.Sync)
        syncProtocol.readSyncMessage(decoder, encoder, this.doc, this)
        if (encoding.length(encoder) > 1) this.send(encoding.toUint8Array(encoder))
        return
      }
      case MessageType.Saved:
        this.savedMessages++
        for (const [client, clock] of Y.decodeStateVector(decoding.readVarUint8Array(decoder))) {
          if (clock > (this.savedVector.get(client) ?? 0)) this.savedVector.set(client, clock)
        }
        return
      case MessageType.Refused:
        this.refusals.push(JSON.parse(decoding.readVarString(decoder)) as RefusedWrite)
        return
      case MessageType.SaveFailed:
        this.saveFailures.push(decoding.readVarString(decoder))
        return
      case MessageType.Session:
        this.sessionSeen = true
        return
      default:
      // Awareness: this client shows no carets.
    }
  }
}

function frame(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, type)
  write(encoder)
  return encoding.toUint8Array(encoder)
}
