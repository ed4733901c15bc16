/**
 * A budget that refills at `perSecond` up to `capacity`: a client may burst, but not keep it
 * up. One per socket for messages, bytes and refused writes (see docs/LIMITS.md).
 */
export class TokenBucket {
  private tokens: number
  private refilledAt: number

  constructor(
    private readonly perSecond: number,
    private readonly capacity: number,
    now = performance.now(),
  ) {
    this.tokens = capacity
    this.refilledAt = now
  }

  /** Spends `cost`; false (and nothing spent) when the budget does not cover it. */
  take(cost = 1, now = performance.now()): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond)
    this.refilledAt = now
    if (cost > this.tokens) return false
    this.tokens -= cost
    return true
  }
}
