import type { CommentThread } from '@accord/shared'
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { resolveAnchor, type AnchorRange } from './commentAnchors'

export interface CommentHighlightsState {
  threads: readonly CommentThread[]
  activeId: string | null
  /** Each thread's range now; null while it cannot be placed. */
  ranges: ReadonlyMap<string, AnchorRange | null>
  decorations: DecorationSet
}

/** Meta for `commentHighlightsKey`: new threads or a new active one; `{}` re-resolves every anchor. */
export interface CommentHighlightsMeta {
  threads?: readonly CommentThread[]
  activeId?: string | null
}

export const commentHighlightsKey = new PluginKey<CommentHighlightsState>('commentHighlights')

export interface CommentHighlightsOptions {
  /** Called when a person clicks highlighted text, with the innermost thread there. */
  onActivate: (threadId: string) => void
}

/**
 * Highlights the text each open thread is anchored to (resolved ones leave the text plain), as decorations (never marks: comments are
 * not part of the text, and readers' editors must not write). The anchors are Yjs relative
 * positions, resolved again after every change to the Y.Doc (see `Editor.tsx`); between those,
 * ranges follow ProseMirror's own mapping of the edit.
 */
export const CommentHighlights = Extension.create<CommentHighlightsOptions>({
  name: 'commentHighlights',
  addOptions() {
    return { onActivate: () => {} }
  },
  addProseMirrorPlugins() {
    const options = this.options
    return [
      new Plugin<CommentHighlightsState>({
        key: commentHighlightsKey,
        state: {
          init: (_config, state) => build(state, [], null, new Map()),
          apply: (transaction, previous, _old, state) => {
            const meta = transaction.getMeta(commentHighlightsKey) as CommentHighlightsMeta | undefined
            if (meta) {
              const threads = meta.threads ?? previous.threads
              const activeId = meta.activeId !== undefined ? meta.activeId : previous.activeId
              return build(state, threads, activeId, resolveAll(state, threads))
            }
            if (!transaction.docChanged) return previous
            const ranges = new Map<string, AnchorRange | null>()
            for (const [id, range] of previous.ranges) {
              if (!range) ranges.set(id, null)
              else {
                const from = transaction.mapping.map(range.from, 1)
                ranges.set(id, { from, to: Math.max(from, transaction.mapping.map(range.to, -1)) })
              }
            }
            return build(state, previous.threads, previous.activeId, ranges)
          },
        },
        props: {
          decorations: (state) => commentHighlightsKey.getState(state)?.decorations,
          handleClick: (view, pos) => {
            const plugin = commentHighlightsKey.getState(view.state)
            if (!plugin) return false
            let innermost: { id: string; size: number } | null = null
            for (const thread of plugin.threads) {
              const range = plugin.ranges.get(thread.id)
              if (thread.status !== 'open' || !range || pos < range.from || pos > range.to || range.from === range.to) continue
              const size = range.to - range.from
              if (!innermost || size < innermost.size) innermost = { id: thread.id, size }
            }
            if (innermost) options.onActivate(innermost.id)
            // Never swallow the click: drafters click into commented text to edit it.
            return false
          },
        },
      }),
    ]
  },
})

function resolveAll(state: EditorState, threads: readonly CommentThread[]): Map<string, AnchorRange | null> {
  return new Map(threads.map((thread) => [thread.id, resolveAnchor(state, thread.anchor)]))
}

function build(
  state: EditorState,
  threads: readonly CommentThread[],
  activeId: string | null,
  ranges: Map<string, AnchorRange | null>,
): CommentHighlightsState {
  const decorations: Decoration[] = []
  for (const thread of threads) {
    const range = ranges.get(thread.id)
    const active = thread.id === activeId
    if (!range || range.from >= range.to || thread.status !== 'open') continue
    decorations.push(
      Decoration.inline(range.from, range.to, {
        class: active ? 'comment-highlight comment-highlight--active' : 'comment-highlight',
        'data-thread-id': thread.id,
      }),
    )
  }
  return { threads, activeId, ranges, decorations: DecorationSet.create(state.doc, decorations) }
}

/** The plugin's current view of the threads, for the panel's order and "on deleted text". */
export function commentHighlightsOf(state: EditorState): CommentHighlightsState | undefined {
  return commentHighlightsKey.getState(state)
}
