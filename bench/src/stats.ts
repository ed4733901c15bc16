/** Quantiles of one run's samples, and medians with spread across repetitions. */

export interface Quantiles {
  count: number
  p50: number
  p95: number
  p99: number
  max: number
}

export function quantiles(samples: readonly number[]): Quantiles {
  if (samples.length === 0) return { count: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN }
  const sorted = Float64Array.from(samples).sort()
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1]! }
}

export interface Spread {
  median: number
  min: number
  max: number
  n: number
}

export function spread(values: readonly number[]): Spread | null {
  const finite = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b)
  if (finite.length === 0) return null
  const middle = finite.length / 2
  const median = finite.length % 2 === 1 ? finite[Math.floor(middle)]! : (finite[middle - 1]! + finite[middle]!) / 2
  return { median, min: finite[0]!, max: finite[finite.length - 1]!, n: finite.length }
}
