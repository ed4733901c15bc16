import { randomUUID } from 'node:crypto'
import type { ClusterConfig } from '../config.js'
import type { Connection } from '../collab/connection.js'
import type { Room } from '../collab/room.js'
import type { AccessFilter, RoomCluster, Rooms } from '../collab/rooms.js'
import type { ThreadRelay, ThreadStreams } from '../http/threadStreams.js'
import type { Logger } from '../logger.js'
import type { UpdateEntry, UpdateLog } from '../persistence/updateLog.js'
import { RedisBus } from './redisBus.js'
import { decodeRelayMessage, encodeRelayMessage, type RelayMessage } from './relayMessages.js'

/**
 * One instance's part in a deployment of several sharing one database and one Redis.
 *
 * Each update is stored once, by the instance its sender is connected to; only once it is
 * committed is it published on the document's channel, and the other instances apply it to
 * their live copy and send it to their own sockets, without storing it again. So an instance
 * that dies has published nothing the database lacks. Redis only makes delivery fast: every
 * instance also catches up from the database (updates after the newest id its copy is known to
 * hold) when a document opens, when someone joins it, when Redis returns after an outage, and
 * every `reconcileMs` as a safety net.
 */
export class Cluster implements RoomCluster, ThreadRelay {
  readonly instanceId = randomUUID()
  private readonly bus: RedisBus
  private rooms: Rooms | null = null
  private threadStreams: ThreadStreams | null = null
  /** Documents with a catch-up running, and who waits for one that starts after it. */
  private readonly catchingUp = new Map<string, { next: (() => void)[] }>()
  private readonly timer: NodeJS.Timeout
  private stopped = false

  constructor(
    private readonly config: ClusterConfig,
    private readonly updateLog: UpdateLog,
    private readonly log: Logger,
  ) {
    this.bus = new RedisBus(config.redisUrl, log, {
      message: (channel, data) => this.receive(channel, data),
      reconnected: () => this.handleReconnected(),
    })
    void this.bus.subscribe(this.clusterChannel)
    this.timer = setInterval(() => this.catchUpEverything(), config.reconcileMs)
    this.timer.unref()
  }

  /** The rooms and streams are built after the cluster (they take it as their relay). */
  attach(rooms: Rooms, threadStreams: ThreadStreams): void {
    this.rooms = rooms
    this.threadStreams = threadStreams
  }

  /** Redis is reachable (for readiness). */
  get connected(): boolean {
    return this.bus.connected
  }

  opened(room: Room): void {
    const channel = this.documentChannel(room.documentId)
    void this.bus.subscribe(channel).then(() => {
      // Subscribed: from now on nothing published is missed, so what came before is read from the database.
      void this.catchUp(room.documentId)
      this.publish(channel, { kind: 'awarenessQuery', from: this.instanceId })
    })
  }

  joined(room: Room, connection: Connection): void {
    room.holdWrites(connection)
    void this.catchUp(room.documentId).then(() => room.releaseWrites(connection))
  }

  closed(documentId: string): void {
    this.bus.unsubscribe(this.documentChannel(documentId))
  }

  committed(documentId: string, updates: readonly UpdateEntry[]): void {
    this.publish(this.documentChannel(documentId), {
      kind: 'updates',
      from: this.instanceId,
      updates: updates.map((update) => ({ userId: update.userId, data: update.data })),
    })
  }

  awareness(documentId: string, update: Uint8Array): void {
    this.publish(this.documentChannel(documentId), { kind: 'awareness', from: this.instanceId, update })
  }

  writeSnapshot(documentId: string): void {
    this.updateLog.compact(documentId).catch((error: unknown) => this.log.error('could not store a snapshot', { documentId, error }))
  }

  accessChanged(filter: AccessFilter): void {
    const { documentId = null, userId = null } = filter
    this.publish(this.clusterChannel, { kind: 'accessChanged', from: this.instanceId, documentId, userId })
  }

  changed(documentId: string): void {
    this.publish(this.clusterChannel, { kind: 'threadsChanged', from: this.instanceId, documentId })
  }

  async close(): Promise<void> {
    this.stopped = true
    clearInterval(this.timer)
    await this.bus.close()
  }

  private get clusterChannel(): string {
    return `${this.config.prefix}cluster`
  }

  private documentChannel(documentId: string): string {
    return `${this.config.prefix}doc:${documentId}`
  }

  private publish(channel: string, message: RelayMessage): void {
    if (!this.stopped) this.bus.publish(channel, encodeRelayMessage(message))
  }

  private receive(channel: string, data: Buffer): void {
    const message = decodeRelayMessage(data)
    if (!message) {
      this.log.warn('ignored a message on a Redis channel that is not one of ours', { channel })
      return
    }
    if (message.from === this.instanceId) return
    if (channel === this.clusterChannel) {
      if (message.kind === 'threadsChanged') this.threadStreams?.catchUp(message.documentId)
      else if (message.kind === 'catchUp') this.catchUpEverything()
      else if (message.kind === 'accessChanged') this.recheckAccess(message.documentId, message.userId)
      return
    }
    const documentPrefix = `${this.config.prefix}doc:`
    if (!channel.startsWith(documentPrefix)) return
    const documentId = channel.slice(documentPrefix.length)
    const room = this.rooms?.live(documentId)
    if (!room) return
    try {
      if (message.kind === 'updates') {
        for (const update of message.updates) room.applyStoredElsewhere(update.data, update.userId)
      } else if (message.kind === 'awareness') {
        room.applyRelayedAwareness(message.update)
      } else if (message.kind === 'awarenessQuery') {
        const own = room.ownAwareness()
        if (own) this.publish(channel, { kind: 'awareness', from: this.instanceId, update: own })
      }
    } catch (error) {
      // The database has the truth: read it rather than trust what could not be applied.
      this.log.error('could not apply what another instance relayed; catching up from the database', { documentId, error })
      void this.catchUp(documentId)
    }
  }

  private recheckAccess(documentId: string | null, userId: number | null): void {
    const filter: AccessFilter = {}
    if (documentId !== null) filter.documentId = documentId
    if (userId !== null) filter.userId = userId
    void this.rooms?.recheckAccess(filter, false)
    this.threadStreams?.recheckAccess(filter)
  }

  private handleReconnected(): void {
    // Others may have missed what this instance published while Redis was away, and this one theirs.
    this.publish(this.clusterChannel, { kind: 'catchUp', from: this.instanceId })
    this.catchUpEverything()
    for (const room of this.rooms?.liveRooms() ?? []) {
      this.publish(this.documentChannel(room.documentId), { kind: 'awarenessQuery', from: this.instanceId })
    }
  }

  private catchUpEverything(): void {
    for (const room of this.rooms?.liveRooms() ?? []) void this.catchUp(room.documentId)
    this.threadStreams?.catchUp()
  }

  /**
   * Applies to the open document what the database holds beyond its copy. One read at a time
   * per document; asking during one queues one more. Resolves once a read that began after
   * the call was applied (or failed, which is logged).
   */
  private catchUp(documentId: string): Promise<void> {
    return new Promise((resolve) => {
      const running = this.catchingUp.get(documentId)
      if (running) {
        running.next.push(resolve)
        return
      }
      const state = { next: [resolve] }
      this.catchingUp.set(documentId, state)
      void this.runCatchUps(documentId, state)
    })
  }

  private async runCatchUps(documentId: string, state: { next: (() => void)[] }): Promise<void> {
    while (state.next.length > 0) {
      const waiting = state.next
      state.next = []
      try {
        const room = this.stopped ? undefined : this.rooms?.live(documentId)
        if (room) {
          const stored = await this.updateLog.updatesAfter(documentId, room.storedThrough)
          if (this.rooms?.live(documentId) === room) room.catchUp(stored)
        }
      } catch (error) {
        this.log.error('could not catch up with the database', { documentId, error })
      }
      for (const resolve of waiting) resolve()
    }
    this.catchingUp.delete(documentId)
  }
}
