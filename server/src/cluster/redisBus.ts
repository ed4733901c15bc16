import { Redis } from 'ioredis'
import type { Logger } from '../logger.js'

const CLOSE_WAIT_MS = 1000

export interface BusEvents {
  message(channel: string, data: Buffer): void
  /**
   * Redis is back after an outage (both connections ready, channels subscribed again): what
   * was published meanwhile is lost, so the caller catches up from the database.
   */
  reconnected(): void
}

/**
 * Publish and subscribe over two Redis connections (a subscribing connection can do nothing
 * else). Nothing waits for Redis: a publish while it is away is dropped, not queued, because
 * every instance catches up from the database when it returns; subscriptions are kept and
 * renewed on every reconnection.
 */
export class RedisBus {
  private readonly publisher: Redis
  private readonly subscriber: Redis
  private readonly channels = new Set<string>()
  private outage = false
  private closing = false

  constructor(
    url: string,
    private readonly log: Logger,
    private readonly events: BusEvents,
  ) {
    this.publisher = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectionName: 'accord-publish' })
    // Subscriptions asked for while Redis is away wait for it (and are renewed on reconnection).
    this.subscriber = new Redis(url, { maxRetriesPerRequest: null, autoResubscribe: true, connectionName: 'accord-subscribe' })
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.events.message(channel.toString(), message))
    for (const connection of [this.publisher, this.subscriber]) {
      connection.on('error', (error: Error) => this.noteOutage(error))
      connection.on('close', () => this.noteOutage(null))
      connection.on('ready', () => void this.noteReady())
    }
  }

  /** Both connections are up. */
  get connected(): boolean {
    return this.publisher.status === 'ready' && this.subscriber.status === 'ready'
  }

  subscribe(channel: string): Promise<void> {
    this.channels.add(channel)
    return this.subscriber.subscribe(channel).then(
      () => undefined,
      (error: unknown) => this.log.warn('could not subscribe to a Redis channel', { channel, error }),
    )
  }

  unsubscribe(channel: string): void {
    if (!this.channels.delete(channel) || this.closing) return
    this.subscriber.unsubscribe(channel).catch(() => {})
  }

  publish(channel: string, data: Buffer): void {
    if (this.publisher.status !== 'ready') return
    this.publisher.publish(channel, data).catch((error: unknown) => this.noteOutage(error instanceof Error ? error : null))
  }

  /** Sends what is published so far (waiting at most a second: Redis may be away), then disconnects. */
  async close(): Promise<void> {
    this.closing = true
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      this.publisher.quit().catch(() => {}),
      new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS))),
    ])
    clearTimeout(timer)
    this.publisher.disconnect()
    this.subscriber.disconnect()
  }

  private noteOutage(error: Error | null): void {
    if (this.closing || this.outage) return
    this.outage = true
    this.log.warn('Redis is unreachable: serving this instance’s own people; catching up when it returns', { error })
  }

  private async noteReady(): Promise<void> {
    if (!this.outage || !this.connected || this.closing) return
    this.outage = false
    // The resubscriptions are sent before this ping, so they are in force when it answers.
    await this.subscriber.ping().catch(() => {})
    if (!this.connected) return
    this.log.info('Redis is back: catching up from the database')
    this.events.reconnected()
  }
}
