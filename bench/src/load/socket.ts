/**
 * One collaboration socket as the load generator drives it: connects, authenticates where the
 * format needs it, performs the sync handshake, and hands decoded frames to its owner. It keeps
 * no Y.Doc of its own; the owner decides what to keep (see readers.ts and writer.ts).
 */
import * as decoding from 'lib0/decoding'
import WebSocket from 'ws'
import { AuthType, FrameEncoder, MessageType, readFrame, SyncStep, type FrameFormat } from '../protocol.js'

export interface Endpoint {
  url: string
  headers: Record<string, string>
  format: FrameFormat
  /** The room: the URL path for plain y-websocket, the frame prefix for Hocuspocus. */
  documentName: string
}

export interface SocketOwner {
  /** Our state vector for sync step 1. */
  stateVector(): Uint8Array
  /** Our answer to the server's sync step 1: what it lacks. */
  diff(serverStateVector: Uint8Array): Uint8Array
  /** The server's sync step 2: the answer to our step 1. */
  onSynced?(update: Uint8Array, at: number): void
  onUpdate?(update: Uint8Array, at: number): void
  /** Accord's message 100: the state vector of what is stored on disk. */
  onSaved?(stateVector: Uint8Array, at: number): void
}

export interface SocketTimes {
  created: number
  opened: number
  step1Sent: number
  synced: number
}

const AUTH_TOKEN = 'bench'

export class SyncSocket {
  readonly frames: FrameEncoder
  readonly times: SocketTimes = { created: 0, opened: NaN, step1Sent: NaN, synced: NaN }
  readonly ready: Promise<void>
  syncReplyBytes = 0
  framesReceived = 0
  /** Frames received, by message type (Sync, Awareness, Saved, ...). */
  readonly framesByType = new Map<number, number>()
  refusals: string[] = []
  saveFailures = 0
  closed: { code: number; reason: string } | null = null
  private readonly ws: WebSocket

  constructor(
    readonly endpoint: Endpoint,
    private readonly owner: SocketOwner,
    private readonly initialAwareness: Uint8Array | null = null,
    timeoutMs = 30_000,
  ) {
    this.frames = new FrameEncoder(endpoint.format, endpoint.documentName)
    this.times.created = performance.now()
    this.ws = new WebSocket(endpoint.url, { headers: endpoint.headers, perMessageDeflate: false })
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no sync within ${timeoutMs} ms: ${endpoint.url} ${endpoint.documentName}`)), timeoutMs)
      this.resolveReady = () => {
        clearTimeout(timer)
        resolve()
      }
      this.rejectReady = (error) => {
        clearTimeout(timer)
        reject(error)
      }
    })
    // A socket that fails later must not crash the generator; callers look at `closed`.
    this.ready.catch(() => {})
    this.ws.on('open', () => this.handleOpen())
    this.ws.on('message', (data: Buffer) => this.handleMessage(data))
    this.ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() }
      this.rejectReady(new Error(`closed ${code} ${reason.toString()} before sync: ${endpoint.documentName}`))
    })
    this.ws.on('error', (error) => this.rejectReady(error))
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount
  }

  send(frame: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame)
  }

  sendUpdate(update: Uint8Array): void {
    this.send(this.frames.update(update))
  }

  sendAwareness(update: Uint8Array): void {
    this.send(this.frames.awareness(update))
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close()
  }

  terminate(): void {
    this.ws.terminate()
  }

  private resolveReady: () => void = () => {}
  private rejectReady: (error: Error) => void = () => {}

  private handleOpen(): void {
    this.times.opened = performance.now()
    // Hocuspocus queues everything until the document's auth frame has been answered.
    if (this.endpoint.format === 'hocuspocus') this.send(this.frames.auth(AUTH_TOKEN))
    this.send(this.frames.syncStep1(this.owner.stateVector()))
    this.times.step1Sent = performance.now()
    if (this.initialAwareness) this.sendAwareness(this.initialAwareness)
  }

  private handleMessage(data: Buffer): void {
    const at = performance.now()
    this.framesReceived++
    const { type, decoder } = readFrame(this.endpoint.format, data)
    this.framesByType.set(type, (this.framesByType.get(type) ?? 0) + 1)
    switch (type) {
      case MessageType.Sync:
      case MessageType.SyncReply:
        this.handleSync(decoder, at)
        return
      case MessageType.Saved:
        this.owner.onSaved?.(decoding.readVarUint8Array(decoder), at)
        return
      case MessageType.Refused:
        this.refusals.push(decoding.readVarString(decoder))
        return
      case MessageType.SaveFailed:
        this.saveFailures++
        return
      case MessageType.Auth:
        if (decoding.readVarUint(decoder) === AuthType.PermissionDenied) {
          this.rejectReady(new Error(`permission denied: ${decoding.readVarString(decoder)}`))
        }
        return
      default:
        // Awareness, Session, SyncStatus: counted, not needed.
        return
    }
  }

  private handleSync(decoder: decoding.Decoder, at: number): void {
    const step = decoding.readVarUint(decoder)
    const payload = decoding.readVarUint8Array(decoder)
    switch (step) {
      case SyncStep.Step1:
        this.send(this.frames.syncStep2(this.owner.diff(payload)))
        return
      case SyncStep.Step2:
        if (Number.isNaN(this.times.synced)) {
          this.times.synced = at
          this.syncReplyBytes = payload.byteLength
          this.owner.onSynced?.(payload, at)
          this.resolveReady()
        } else {
          this.owner.onUpdate?.(payload, at)
        }
        return
      case SyncStep.Update:
        this.owner.onUpdate?.(payload, at)
        return
    }
  }
}
