export type DiffPart = { kind: 'same' | 'inserted' | 'deleted'; text: string }

/**
 * The words that changed between two texts, by longest common subsequence, merged into runs.
 * Quadratic, so meant for clause-sized texts (a few thousand words at most).
 */
export function wordDiff(before: readonly string[], after: readonly string[]): DiffPart[] {
  const rows = before.length + 1
  const columns = after.length + 1
  const lengths = new Uint32Array(rows * columns)
  for (let i = before.length - 1; i >= 0; i--) {
    for (let j = after.length - 1; j >= 0; j--) {
      lengths[i * columns + j] =
        before[i] === after[j]
          ? lengths[(i + 1) * columns + j + 1]! + 1
          : Math.max(lengths[(i + 1) * columns + j]!, lengths[i * columns + j + 1]!)
    }
  }
  const parts: DiffPart[] = []
  const push = (kind: DiffPart['kind'], word: string) => {
    const last = parts.at(-1)
    if (last?.kind === kind) last.text += ` ${word}`
    else parts.push({ kind, text: word })
  }
  let i = 0
  let j = 0
  while (i < before.length && j < after.length) {
    if (before[i] === after[j]) {
      push('same', before[i]!)
      i++
      j++
    } else if (lengths[(i + 1) * columns + j]! >= lengths[i * columns + j + 1]!) {
      push('deleted', before[i++]!)
    } else {
      push('inserted', after[j++]!)
    }
  }
  while (i < before.length) push('deleted', before[i++]!)
  while (j < after.length) push('inserted', after[j++]!)
  return parts
}
