import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import type { EditorState } from '@tiptap/pm/state'
import { ySyncPluginKey, type ProsemirrorBinding } from '@tiptap/y-tiptap'
import * as Y from 'yjs'

/**
 * Conversions between ProseMirror positions and Yjs relative positions (remote carets, comment
 * anchors), as y-tiptap's `absolutePositionToRelativePosition` and
 * `relativePositionToAbsolutePosition` compute them, but without their cost: those walk every
 * block before the position, for every caret and every anchor, on every change, which in a
 * 100,000-word MOU took longer than a frame. Here the walk over a parent's children is done once
 * per version of the document and shared by every conversion of that version.
 */

export interface YBinding {
  doc: Y.Doc
  type: Y.XmlFragment
  mapping: ProsemirrorBinding['mapping']
}

// Yjs types are generic in their event type, which no walk here looks at.
type YType = Y.AbstractType<any>
type Mapped = { nodeSize: number } | ProseMirrorNode[] | undefined

/** The editor's binding to the Y.Doc, once it has rendered the document; null before. */
export function bindingOf(state: EditorState): YBinding | null {
  const sync = ySyncPluginKey.getState(state) as
    | { doc: Y.Doc; type: Y.XmlFragment; binding: ProsemirrorBinding | null; snapshot?: unknown; prevSnapshot?: unknown }
    | undefined
  if (!sync?.binding || sync.binding.mapping.size === 0 || sync.snapshot != null || sync.prevSnapshot != null) return null
  return { doc: sync.doc, type: sync.type, mapping: sync.binding.mapping }
}

const contentType = (item: Y.Item): YType => (item.content as Y.ContentType).type as YType
const sizeOf = (type: YType, mapping: YBinding['mapping']): number | null =>
  type instanceof Y.XmlText ? type.length : ((mapping.get(type) as Mapped) as { nodeSize?: number } | undefined)?.nodeSize ?? null

/**
 * A version of both sides: the ProseMirror document and a counter of the Y.Doc's transactions
 * (the mapping from Yjs types to nodes is updated in place, after ProseMirror's document for a
 * local edit and before it for a remote one).
 */
const transactionCounts = new WeakMap<Y.Doc, { count: number }>()
function yVersion(doc: Y.Doc): number {
  let counter = transactionCounts.get(doc)
  if (!counter) {
    const created = { count: 0 }
    doc.on('afterTransaction', () => created.count++)
    transactionCounts.set(doc, created)
    counter = created
  }
  return counter.count
}

interface VersionCache {
  yVersion: number
  /** Per parent type: the offset of each visible child inside it, up to the first one not rendered. */
  offsets: Map<YType, Map<YType, number>>
  rootChildren: YType[] | null
}
const caches = new WeakMap<ProseMirrorNode, VersionCache>()

function cacheFor(binding: YBinding, doc: ProseMirrorNode): VersionCache {
  const version = yVersion(binding.doc)
  let cache = caches.get(doc)
  if (!cache || cache.yVersion !== version) {
    cache = { yVersion: version, offsets: new Map(), rootChildren: null }
    caches.set(doc, cache)
  }
  return cache
}

function childOffsets(parent: YType, binding: YBinding, cache: VersionCache): Map<YType, number> {
  let offsets = cache.offsets.get(parent)
  if (!offsets) {
    offsets = new Map()
    let offset = 0
    for (let item = parent._first; item !== null; item = item.right) {
      if (item.deleted) continue
      const child = contentType(item)
      offsets.set(child, offset)
      const size = sizeOf(child, binding.mapping)
      if (size === null) break
      offset += size
    }
    cache.offsets.set(parent, offsets)
  }
  return offsets
}

/** Where `type` sits inside `parent`: what its visible siblings before it take up; null if one is not rendered. */
function offsetInParent(type: YType, parent: YType, binding: YBinding, cache: VersionCache): number | null {
  if (!type._item!.deleted) return childOffsets(parent, binding, cache).get(type) ?? null
  // A deleted type (text deleted with its paragraph) counts what came before it.
  let offset = 0
  for (let item = parent._first; item !== null; item = item.right) {
    const child = contentType(item)
    if (child === type) break
    if (item.deleted) continue
    const size = sizeOf(child, binding.mapping)
    if (size === null) return null
    offset += size
  }
  return offset
}

/** A Yjs relative position as a ProseMirror position in `doc`; null when it is not in the rendered document. */
export function toAbsolute(binding: YBinding, doc: ProseMirrorNode, relative: Y.RelativePosition): number | null {
  const decoded = Y.createAbsolutePositionFromRelativePosition(relative, binding.doc)
  const root = binding.type as unknown as YType
  if (decoded === null || (decoded.type !== root && !Y.isParentOf(binding.type, decoded.type._item))) return null
  const cache = cacheFor(binding, doc)
  let type = decoded.type as YType
  let pos = 0
  if (type instanceof Y.XmlText) {
    pos = decoded.index
  } else if (type._item === null || !type._item.deleted) {
    let index = 0
    for (let item = type._first; item !== null && index < decoded.index && index < type._length; item = item.right) {
      if (item.deleted) continue
      index++
      const size = sizeOf(contentType(item), binding.mapping)
      if (size === null) return null
      pos += size
    }
    pos += 1
  }
  while (type !== root && type._item !== null) {
    const parent = type._item.parent as YType
    if (parent._item === null || !parent._item.deleted) {
      pos += 1
      const offset = offsetInParent(type, parent, binding, cache)
      if (offset === null) return null
      pos += offset
    }
    type = parent
  }
  const absolute = pos - 1
  // As y-tiptap: an item-based position that resolves to the very start was misplaced by a move.
  if (decoded.type instanceof Y.XmlText && relative.item !== null && absolute <= 1) return null
  return absolute
}

function rootChildren(binding: YBinding, cache: VersionCache): YType[] {
  if (!cache.rootChildren) {
    const children: YType[] = []
    for (let item = binding.type._first; item !== null; item = item.right) if (!item.deleted) children.push(contentType(item))
    cache.rootChildren = children
  }
  return cache.rootChildren
}

const relativeBefore = (type: YType, item: Y.Item): Y.RelativePosition =>
  new Y.RelativePosition(
    type._item === null ? null : Y.createID(type._item.id.client, type._item.id.clock),
    type._item === null ? Y.findRootTypeKey(type) : null,
    item.id,
  )

const relativeAtEnd = (type: YType): Y.RelativePosition =>
  new Y.RelativePosition(type._item === null ? null : type._item.id, type._item === null ? Y.findRootTypeKey(type) : null, null)

/**
 * A ProseMirror position in `doc` as a Yjs relative position: y-tiptap's walk, started at the
 * block before the position's block instead of at the first block (the walk keeps no state
 * but the current type and the distance left, so both starts give the same answer).
 */
export function toRelative(binding: YBinding, doc: ProseMirrorNode, position: number): Y.RelativePosition {
  const root = binding.type as unknown as YType
  if (position === 0) return Y.createRelativePositionFromTypeIndex(binding.type, 0, -1)
  let pos = position
  let n: YType | null = root._first === null ? null : contentType(root._first)
  const children = rootChildren(binding, cacheFor(binding, doc))
  if (children.length === doc.childCount && position <= doc.content.size) {
    const resolved = doc.resolve(position)
    const index = resolved.index(0)
    if (index >= 2) {
      n = children[index - 1]!
      pos -= resolved.posAtIndex(index - 1, 0)
    }
  }
  while (n !== null && n !== root) {
    if (n instanceof Y.XmlText) {
      if (n.length >= pos) return Y.createRelativePositionFromTypeIndex(n, pos, -1)
      pos -= n.length
      if (n._item !== null && n._item.next !== null) {
        n = contentType(n._item.next)
      } else {
        do {
          n = n._item === null ? null : (n._item.parent as YType)
          pos--
        } while (n !== root && n !== null && n._item !== null && n._item.next === null)
        if (n !== null && n !== root) n = n._item === null ? null : contentType(n._item.next!)
      }
    } else {
      const size = sizeOf(n, binding.mapping) ?? 0
      if (n._first !== null && pos < size) {
        n = contentType(n._first)
        pos--
      } else {
        if (pos === 1 && n._length === 0 && size > 1) return relativeAtEnd(n)
        pos -= size
        if (n._item !== null && n._item.next !== null) {
          n = contentType(n._item.next)
        } else {
          if (pos === 0) return relativeAtEnd(n._item === null ? n : (n._item.parent as YType))
          do {
            n = n._item!.parent as YType
            pos--
          } while (n !== root && n._item!.next === null)
          if (n !== root) n = contentType(n._item!.next!)
        }
      }
    }
    if (n === null) throw new Error('A position outside the document cannot be anchored.')
    if (pos === 0 && !(n instanceof Y.XmlText) && n !== root) return relativeBefore(n._item!.parent as YType, n._item!)
  }
  return Y.createRelativePositionFromTypeIndex(binding.type, binding.type.length, -1)
}

