/**
 * Counts failures per key in a fixed window. Used for logins: a handful of failures locks one
 * account for a while; a whole school network behind one address gets a far larger allowance,
 * so a committee meeting signing in at once is never locked out by a few typos.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, { count: number; windowEndsAt: number }>()

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until `key` may try again; 0 when it may try now. */
  retryAfter(key: string, now = Date.now()): number {
    const entry = this.failures.get(key)
    if (!entry || entry.windowEndsAt <= now) return 0
    return entry.count >= this.limit ? entry.windowEndsAt - now : 0
  }

  recordFailure(key: string, now = Date.now()): void {
    const entry = this.failures.get(key)
    if (!entry || entry.windowEndsAt <= now) {
      this.failures.set(key, { count: 1, windowEndsAt: now + this.windowMs })
      this.sweep(now)
    } else {
      entry.count++
    }
  }

  /** Takes back one counted attempt, e.g. one that turned out to succeed. */
  forgive(key: string): void {
    const entry = this.failures.get(key)
    if (entry && entry.count > 0) entry.count--
  }

  reset(key: string): void {
    this.failures.delete(key)
  }

  private sweep(now: number): void {
    if (this.failures.size < 10_000) return
    for (const [key, entry] of this.failures) if (entry.windowEndsAt <= now) this.failures.delete(key)
  }
}
