import { MAX_UPDATE_BYTES } from '@accord/shared'
import type { Slice } from '@tiptap/pm/model'

/**
 * What the editor lets through in one paste or drop. The size of the Yjs update a slice becomes
 * is estimated by the UTF-8 size of its JSON: the JSON carries every character and every node and
 * mark name, as the update does, plus some punctuation the update does not. A quarter is kept in
 * reserve for the update's own bookkeeping (ids, lengths, formatting attributes).
 */
export const PASTE_LIMIT_BYTES = Math.floor(MAX_UPDATE_BYTES * 0.75)

const encoder = new TextEncoder()

export function estimateSliceBytes(slice: Slice): number {
  return encoder.encode(JSON.stringify(slice.content.toJSON() ?? [])).length
}

export function isTooLarge(slice: Slice): boolean {
  return estimateSliceBytes(slice) > PASTE_LIMIT_BYTES
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

export function describeTooLarge(slice: Slice, how: 'paste' | 'drop'): string {
  const size = megabytes(estimateSliceBytes(slice))
  const limit = megabytes(PASTE_LIMIT_BYTES)
  return how === 'paste'
    ? `Nothing was pasted: that is too much to add at once (about ${size}; Accord takes up to ${limit} at a time). Paste it in smaller parts.`
    : `Nothing was added: what you dropped is too much to add at once (about ${size}; Accord takes up to ${limit} at a time). Add it in smaller parts.`
}
