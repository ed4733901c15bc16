/**
 * Counts open sockets per key (a person, a network address) and refuses one beyond the limit.
 * Keys are forgotten when their count drops to zero, so the map holds only who is connected.
 */
export class SocketQuota {
  private readonly open = new Map<string, number>()

  constructor(private readonly limit: number) {}

  tryAcquire(key: string): boolean {
    const count = this.open.get(key) ?? 0
    if (count >= this.limit) return false
    this.open.set(key, count + 1)
    return true
  }

  release(key: string): void {
    const count = this.open.get(key) ?? 0
    if (count <= 1) this.open.delete(key)
    else this.open.set(key, count - 1)
  }
}
