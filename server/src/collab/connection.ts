import { AFFILIATION_COLORS, CloseCode, MAX_UPDATE_BYTES, MessageType, SyncStep, type RefusedWrite, type Role } from '@accord/shared'
import type { Duplex } from 'node:stream'
import * as decoding from 'lib0/decoding'
import type { WebSocket } from 'ws'
import type { Limits } from '../config.js'
import type { Logger } from '../logger.js'
import type { UserRecord } from '../persistence/users.js'
import { AwarenessTooLarge, type AwarenessIdentity } from './awareness.js'
import { refusedMessage } from './messages.js'
import type { Room } from './room.js'
import { binaryFrame, frameBytes, type Frame } from './frames.js'
import { TokenBucket } from './tokenBucket.js'
import { Outbox } from './writeBatching.js'

export type ConnectionLimits = Pick<Limits, 'maxMessageBytes' | 'messagesPerSecond' | 'bytesPerSecond' | 'outboxBytes' | 'maxAwarenessBytes'>

/**
 * Refused writes a socket may cause, sustained and in a burst. An honest editor is refused
 * once and reloads; a client that keeps sending what is refused (or updates whose
 * dependencies never come, each answered with a resync) is closed.
 */
const REFUSALS_PER_SECOND = 1
const REFUSAL_BURST = 30
/** A socket closed for not reading gets this long to take its close frame, then is cut. */
const SLOW_CONSUMER_GRACE_MS = 5000

export interface Admission {
  user: UserRecord
  sessionToken: string
  role: Role
  canEdit: boolean
}

/**
 * One person's socket on one document. It decodes what the client sends and hands it to the
 * room; what this connection may do was decided at admission and is re-checked whenever
 * membership changes (see Rooms.recheckAccess).
 */
export class Connection {
  /** Awareness client ids this socket speaks for; another socket may not use them. */
  readonly awarenessClientIds = new Set<number>()
  /**
   * This socket is owed a Saved (or SaveFailed) message once the room's updates up to this
   * sequence number are on disk; 0 when it is owed nothing.
   */
  awaitingSaveThrough = 0
  /**
   * Its last write was kept only in part: the rest builds on text of these (other people's)
   * client ids that the server lacks. It is asked to resend (sync step 1) when their text arrives.
   */
  waitingForText: ReadonlySet<number> | null = null
  private alive = true
  private closing = false
  private readonly messageBudget: TokenBucket
  private readonly byteBudget: TokenBucket
  private readonly refusalBudget = new TokenBucket(REFUSALS_PER_SECOND, REFUSAL_BURST)
  private readonly outbox: Outbox

  constructor(
    readonly ws: WebSocket,
    /** The TCP socket under `ws`, so that one turn's frames leave in one write. */
    socket: Duplex,
    readonly documentId: string,
    readonly admission: Admission,
    private readonly log: Logger,
    readonly limits: ConnectionLimits,
  ) {
    this.messageBudget = new TokenBucket(limits.messagesPerSecond, limits.messagesPerSecond * 3)
    this.byteBudget = new TokenBucket(limits.bytesPerSecond, Math.max(limits.bytesPerSecond, 2 * limits.maxMessageBytes))
    this.outbox = new Outbox(socket)
  }

  get user(): UserRecord {
    return this.admission.user
  }

  get identity(): AwarenessIdentity {
    return {
      username: this.user.username,
      name: this.user.displayName,
      affiliation: this.user.affiliation,
      color: AFFILIATION_COLORS[this.user.affiliation],
    }
  }

  attach(room: Room): void {
    this.ws.on('message', (data, isBinary) => {
      if (this.closing) return
      if (!isBinary) {
        this.closeFor(CloseCode.BadRequest, 'Text frames are not part of this protocol')
        return
      }
      const bytes = toUint8Array(data)
      if (!this.messageBudget.take() || !this.byteBudget.take(bytes.byteLength)) {
        this.closeFor(CloseCode.RateLimited, 'Too many messages')
        return
      }
      try {
        this.handleMessage(room, bytes)
      } catch (error) {
        this.log.warn('refused a malformed collaboration message', {
          documentId: this.documentId,
          user: this.user.username,
          error,
        })
        if (error instanceof AwarenessTooLarge) this.close(CloseCode.MessageTooLarge, 'Awareness state too large')
        else this.close(CloseCode.BadRequest, 'Malformed message')
      }
    })
    this.ws.on('pong', () => {
      this.alive = true
    })
    this.ws.on('close', () => room.leave(this))
    this.ws.on('error', (error) => this.log.warn('collaboration socket error', { documentId: this.documentId, error }))
  }

  refuse(refusal: RefusedWrite): void {
    this.log.warn('refused a write', { documentId: this.documentId, user: this.user.username, code: refusal.code })
    if (!this.refusalBudget.take()) {
      this.closeFor(CloseCode.RateLimited, 'Too many refused writes')
      return
    }
    this.send(refusedMessage(refusal))
  }

  send(message: Uint8Array): void {
    this.sendFrame(binaryFrame(message))
  }

  /**
   * Writes an already framed message to the socket at the end of this turn. Safe beside `ws`
   * because we never compress: its sender then writes its own frames (pings, the close) at
   * once and keeps no queue that ours could overtake.
   */
  sendFrame(frame: Frame): void {
    if (this.closing || this.ws.readyState !== this.ws.OPEN) return
    // One frame of any size may go (a long agreement's first sync); piling more on top of what
    // the peer has not taken yet may not: that would let one client fill our memory.
    const unsent = this.outbox.unsentBytes()
    if (unsent > 0 && unsent + frameBytes(frame) > this.limits.outboxBytes) {
      this.outbox.discard()
      this.closeFor(CloseCode.SlowConsumer, 'Not reading')
      setTimeout(() => this.ws.terminate(), SLOW_CONSUMER_GRACE_MS).unref()
      return
    }
    this.outbox.write(frame)
  }

  close(code: number, reason: string): void {
    this.closing = true
    // What was said before the close (a last Saved, a refusal) goes before the close frame.
    this.outbox.flushNow()
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason)
  }

  /** Closes for something this client did, and says so in the log. */
  private closeFor(code: number, reason: string): void {
    if (this.closing) return
    this.log.warn('closed a collaboration socket', { documentId: this.documentId, user: this.user.username, code, reason })
    this.close(code, reason)
  }

  /** Called on a timer: a socket that did not answer the last ping is dead (a laptop lid closed). */
  heartbeat(): void {
    if (!this.alive) {
      this.ws.terminate()
      return
    }
    this.alive = false
    this.ws.ping()
  }

  private handleMessage(room: Room, data: Uint8Array): void {
    const decoder = decoding.createDecoder(data)
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case MessageType.Sync:
        this.handleSync(room, decoder)
        return
      case MessageType.Awareness:
        room.applyAwareness(this, decoding.readVarUint8Array(decoder))
        return
      case MessageType.QueryAwareness:
        room.sendAwarenessTo(this)
        return
      case MessageType.Auth:
        return
      default:
        throw new Error(`unknown message type ${type}`)
    }
  }

  private handleSync(room: Room, decoder: decoding.Decoder): void {
    const step = decoding.readVarUint(decoder)
    switch (step) {
      case SyncStep.Step1:
        this.sendFrame(room.syncReplyFor(decoding.readVarUint8Array(decoder)))
        return
      case SyncStep.Step2:
      case SyncStep.Update: {
        const update = decoding.readVarUint8Array(decoder)
        if (isEmptyUpdate(update)) return
        if (this.admission.canEdit) {
          // Step 2 carries everything typed while offline at once, so it may use the whole frame.
          room.applyUpdate(this, update, step === SyncStep.Step2 ? this.limits.maxMessageBytes : MAX_UPDATE_BYTES)
        } else if (!room.changesNothing(update)) {
          // A read-only member's writes are dropped here, before they touch the document.
          this.refuse({ code: 'read_only', message: 'Your role lets you read this document, not change it.' })
        }
        return
      }
      default:
        throw new Error(`unknown sync step ${step}`)
    }
  }
}

/** What a client with nothing new sends in answer to sync step 1: no structs, no deletions. */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.byteLength === 2 && update[0] === 0 && update[1] === 0
}

function toUint8Array(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  return data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.length)
}
