import type { Editor } from '@tiptap/core'
import type { Transaction } from '@tiptap/pm/state'
import { useEffect, useReducer, useRef } from 'react'
import { coalescedAfterPaint } from '../lib/schedule'
import { isCaretRedraw } from './carets'

interface Options<T> {
  editor: Editor
  selector: (context: { editor: Editor }) => T
  equalityFn?: (a: T, b: T) => boolean
}

/**
 * Tiptap's `useEditorState`, for what is shown beside the text (the outline, the comment list,
 * the variables): the selector runs once the frame showing a keystroke is painted, not inside
 * the keystroke, and at most once a frame. `useEditorState` runs every selector in every
 * transaction, and in a long MOU the outline's alone cost about a millisecond per key. Redrawing
 * other people's carets changes nothing shown beside the text, so it asks for no check (and no
 * frame to wait for).
 */
export function useEditorStateAfterPaint<T>({ editor, selector, equalityFn = Object.is }: Options<T>): T {
  const latest = useRef({ selector, equalityFn })
  latest.current = { selector, equalityFn }
  const selected = useRef<{ value: T } | null>(null)
  const [, rerender] = useReducer((renders: number) => renders + 1, 0)

  // Selected afresh on each render too, since the selector may read props; an equal value keeps its identity.
  const value = selector({ editor })
  if (!selected.current || !equalityFn(selected.current.value, value)) selected.current = { value }

  useEffect(() => {
    let mounted = true
    const check = coalescedAfterPaint(() => {
      if (!mounted || editor.isDestroyed || !selected.current) return
      if (!latest.current.equalityFn(selected.current.value, latest.current.selector({ editor }))) rerender()
    })
    const onTransaction = ({ transaction }: { transaction: Transaction }) => {
      if (!isCaretRedraw(transaction)) check()
    }
    editor.on('transaction', onTransaction)
    check()
    return () => {
      mounted = false
      editor.off('transaction', onTransaction)
    }
  }, [editor])

  return selected.current.value
}
