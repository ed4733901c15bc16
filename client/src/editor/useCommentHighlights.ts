import { DOCUMENT_FIELD } from '@accord/shared/schema'
import type { Editor } from '@tiptap/core'
import { useCallback, useEffect } from 'react'
import type * as Y from 'yjs'
import type { LiveThreads } from '../collab/useThreads'
import { clausePosition } from './commentAnchors'
import { commentHighlightsKey, commentHighlightsOf, type CommentHighlightsMeta } from './commentHighlights'
import { readPendingSelection } from './pendingSelection'

/**
 * Keeps the editor's comment highlights in step with the threads, the active thread and the
 * Y.Doc, and returns how to show a thread's text (select it and scroll to it).
 */
export function useCommentHighlights(
  editor: Editor | null,
  doc: Y.Doc,
  threads: LiveThreads['threads'],
  activeId: string | null,
): (threadId: string) => void {
  const dispatch = useCallback(
    (meta: CommentHighlightsMeta) => {
      if (!editor || editor.isDestroyed) return
      readPendingSelection(editor.view)
      editor.view.dispatch(editor.state.tr.setMeta(commentHighlightsKey, meta).setMeta('addToHistory', false))
    },
    [editor],
  )

  useEffect(() => dispatch({ threads: threads ?? [] }), [dispatch, threads])
  useEffect(() => dispatch({ activeId }), [dispatch, activeId])

  // Anchors are Yjs positions: place them again once the Y.Doc has taken a change (ours or
  // another screen's), at most once a frame. Text an anchor names may arrive after its comment.
  useEffect(() => {
    const fragment = doc.getXmlFragment(DOCUMENT_FIELD)
    let frame = 0
    const schedule = () => {
      frame ||= requestAnimationFrame(() => {
        frame = 0
        dispatch({})
      })
    }
    fragment.observeDeep(schedule)
    return () => {
      fragment.unobserveDeep(schedule)
      cancelAnimationFrame(frame)
    }
  }, [doc, dispatch])

  return useCallback(
    (threadId: string) => {
      if (!editor) return
      const plugin = commentHighlightsOf(editor.state)
      const range = plugin?.ranges.get(threadId)
      const thread = plugin?.threads.find((candidate) => candidate.id === threadId)
      let target: number | null = null
      if (range && range.from < range.to) {
        editor.commands.setTextSelection({ from: range.from, to: range.to })
        target = range.from
      } else if (thread) {
        // The text is gone: show where its clause is.
        target = clausePosition(editor.state, thread.anchor.clauseId) ?? range?.from ?? null
      }
      if (target === null) return
      const { node } = editor.view.domAtPos(target)
      const element = node instanceof HTMLElement ? node : node.parentElement
      element?.scrollIntoView({ block: 'center', behavior: 'smooth' })
    },
    [editor],
  )
}
