import { QUOTE_MAX, type CommentAnchor } from '@accord/shared'
import type { EditorState } from '@tiptap/pm/state'
import * as Y from 'yjs'
import { bindingOf, toAbsolute, toRelative } from './yPositions'

/** Where a thread's text is now: a range, collapsed (from === to) once its text was deleted. */
export interface AnchorRange {
  from: number
  to: number
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0))

export type NewAnchor = { anchor: CommentAnchor; quote: string } | { problem: string }

/** The selection as a thread's anchor: Yjs relative positions, the quoted text and the clause it sits in. */
export function anchorForSelection(state: EditorState): NewAnchor {
  const { from, to, empty } = state.selection
  if (empty) return { problem: 'Select the words you want to comment on first.' }
  const quote = state.doc.textBetween(from, to, '\n', (leaf) => String(leaf.attrs.key ?? leaf.attrs.label ?? '')).trim()
  if (!quote) return { problem: 'Select some words (not only an empty line) to comment on.' }
  if (quote.length > QUOTE_MAX) return { problem: `Select at most ${QUOTE_MAX.toLocaleString()} characters to comment on.` }
  const binding = bindingOf(state)
  if (!binding) return { problem: 'The document is still opening; try again in a moment.' }
  const relative = (pos: number) => toRelative(binding, state.doc, pos)
  // The end sticks to the last commented character, and the start (unlike y-tiptap's positions)
  // to the first: words typed just outside the range stay outside it.
  const end = relative(to)
  let start = relative(from)
  const absoluteStart = Y.createAbsolutePositionFromRelativePosition(start, binding.doc)
  if (absoluteStart) start = Y.createRelativePositionFromTypeIndex(absoluteStart.type, absoluteStart.index, 0)
  const encode = (position: Y.RelativePosition) => toBase64(Y.encodeRelativePosition(position))
  return { anchor: { start: encode(start), end: encode(end), clauseId: clauseIdAt(state, from) }, quote }
}

function clauseIdAt(state: EditorState, pos: number): string | null {
  const $pos = state.doc.resolve(pos)
  for (let depth = $pos.depth; depth > 0; depth--) {
    const node = $pos.node(depth)
    if (node.type.name === 'clause' && typeof node.attrs.id === 'string') return node.attrs.id
  }
  return null
}

/** Where the clause with this id starts, for a thread whose text is gone. */
export function clausePosition(state: EditorState, clauseId: string | null): number | null {
  if (!clauseId) return null
  let found: number | null = null
  state.doc.descendants((node, pos) => {
    if (found !== null) return false
    if (node.type.name === 'clause' && node.attrs.id === clauseId) found = pos
    return true
  })
  return found
}

const decoded = new Map<string, Y.RelativePosition | null>()
function decode(encoded: string): Y.RelativePosition | null {
  if (!decoded.has(encoded)) {
    try {
      decoded.set(encoded, Y.decodeRelativePosition(fromBase64(encoded)))
    } catch {
      decoded.set(encoded, null)
    }
  }
  return decoded.get(encoded)!
}

/**
 * The anchor's range in the current text; null when it cannot be placed yet (the editor is not
 * bound, or the anchored text has not arrived from the server).
 */
export function resolveAnchor(state: EditorState, anchor: CommentAnchor): AnchorRange | null {
  const binding = bindingOf(state)
  const start = decode(anchor.start)
  const end = decode(anchor.end)
  if (!binding || !start || !end) return null
  const from = toAbsolute(binding, state.doc, start)
  const to = toAbsolute(binding, state.doc, end)
  if (from === null || to === null) {
    // Text this screen has seen, and cannot place, was deleted with what contained it.
    return known(binding.doc, start) && known(binding.doc, end) ? { from: 0, to: 0 } : null
  }
  const size = state.doc.content.size
  const clampedFrom = Math.min(Math.max(0, from), size)
  return { from: clampedFrom, to: Math.max(clampedFrom, Math.min(to, size)) }
}

/** Whether the Y.Doc has received the item a position names (deleted or not). */
function known(doc: Y.Doc, position: Y.RelativePosition): boolean {
  const id = position.item ?? position.type
  return id === null || Y.getState(doc.store, id.client) > id.clock
}
