/**
 * Keystroke timestamps and their arrivals. A writer's keystroke inserts one character, so it
 * takes exactly one Yjs clock of the writer's client id: the writer stamps (client, clock) with
 * the time of the keystroke, and any receiver that sees that clock in an incoming update (even
 * when a server merged several updates into one frame) records the delay. Writer and
 * receivers live in the same process, so performance.now() is one clock.
 */
import * as Y from 'yjs'

interface WriterStamps {
  /** The clock of times[0]. */
  base: number
  times: number[]
}

export class StampBook {
  private readonly writers = new Map<number, WriterStamps>()
  /** Arrival delays (ms) recorded since the last `startWindow`. */
  latencies: number[] = []
  /** Only keystrokes made while recording are stamped: warm-up edits are not measured. */
  recording = false

  register(client: number): void {
    if (!this.writers.has(client)) this.writers.set(client, { base: -1, times: [] })
  }

  startWindow(): void {
    this.latencies = []
    for (const stamps of this.writers.values()) {
      stamps.base = -1
      stamps.times = []
    }
    this.recording = true
  }

  stopWindow(): void {
    this.recording = false
  }

  stamp(client: number, clock: number, at: number): void {
    if (!this.recording) return
    const stamps = this.writers.get(client)
    if (!stamps) return
    if (stamps.base < 0) stamps.base = clock
    stamps.times[clock - stamps.base] = at
  }

  timeOf(client: number, clock: number): number | undefined {
    const stamps = this.writers.get(client)
    if (!stamps || stamps.base < 0 || clock < stamps.base) return undefined
    return stamps.times[clock - stamps.base]
  }

  isWriter(client: number): boolean {
    return this.writers.has(client)
  }

  /** The last stamped clock + 1 of each writer: what every receiver must have seen. */
  targets(): Map<number, number> {
    const targets = new Map<number, number>()
    for (const [client, stamps] of this.writers) if (stamps.base >= 0) targets.set(client, stamps.base + stamps.times.length)
    return targets
  }

  stampedCount(): number {
    let count = 0
    for (const stamps of this.writers.values()) count += stamps.times.length
    return count
  }
}

/**
 * What one client has seen of each writer. Cheap: reads only the update's per-client clock
 * ranges (Y.parseUpdateMeta), never applies it.
 */
export class Arrivals {
  readonly seen = new Map<number, number>()

  constructor(
    private readonly book: StampBook,
    /** The receiver's own client id, if it writes: its echoes are not deliveries. */
    private readonly ownClient: number | null = null,
  ) {}

  receive(update: Uint8Array, at: number): void {
    const meta = Y.parseUpdateMeta(update)
    for (const [client, to] of meta.to) {
      if (client === this.ownClient || !this.book.isWriter(client)) continue
      const seen = this.seen.get(client) ?? 0
      if (to <= seen) continue
      const from = Math.max(meta.from.get(client) ?? 0, seen)
      for (let clock = from; clock < to; clock++) {
        const sent = this.book.timeOf(client, clock)
        if (sent !== undefined) this.book.latencies.push(at - sent)
      }
      this.seen.set(client, to)
    }
  }

  /** True once every writer's last stamped keystroke (other than our own) has arrived here. */
  caughtUp(targets: ReadonlyMap<number, number>): boolean {
    for (const [client, target] of targets) {
      if (client !== this.ownClient && (this.seen.get(client) ?? 0) < target) return false
    }
    return true
  }
}
