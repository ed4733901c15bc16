import { AFFILIATION_LABELS, AFFILIATIONS, type Affiliation, type CommentAnchor, type CommentThread, type Member, type Role } from '@accord/shared'
import type { Editor } from '@tiptap/core'
import { useEffect, useState } from 'react'
import { api } from '../api/client'
import type { LiveThreads } from '../collab/useThreads'
import { clausePosition } from './commentAnchors'
import { CommentComposer } from './CommentComposer'
import { commentHighlightsOf } from './commentHighlights'
import { ThreadCard, type ThreadPlacement } from './ThreadCard'
import { useEditorStateAfterPaint } from './useEditorStateAfterPaint'

export interface Composing {
  anchor: CommentAnchor
  quote: string
}

type StatusFilter = 'open' | 'resolved' | 'all'

interface Placed extends ThreadPlacement {
  id: string
  /** Position in the text (or of its clause, once the text is gone): the panel's order. */
  order: number
}

function placements(editor: Editor): Placed[] {
  const plugin = commentHighlightsOf(editor.state)
  if (!plugin) return []
  return plugin.threads.map((thread) => {
    const range = plugin.ranges.get(thread.id) ?? null
    const deleted = range !== null && range.from >= range.to
    const order = range && !deleted ? range.from : (clausePosition(editor.state, thread.anchor.clauseId) ?? range?.from ?? Number.MAX_SAFE_INTEGER)
    return { id: thread.id, order, deleted, pending: range === null }
  })
}

const samePlacements = (a: Placed[], b: Placed[] | null) => JSON.stringify(a) === JSON.stringify(b)

/**
 * The document's comment threads in the order of their text, with filters, and the composer
 * for a new thread on the selected text.
 */
export function CommentsPanel({
  editor,
  documentId,
  live,
  me,
  role,
  canComment,
  members,
  activeId,
  composing,
  notice,
  onCancelCompose,
  onCreated,
  onReveal,
}: {
  editor: Editor
  documentId: string
  live: LiveThreads
  me: string
  role: Role
  /** The role allows comments and the document is not archived. */
  canComment: boolean
  members: readonly Member[]
  activeId: string | null
  composing: Composing | null
  /** Why a comment could not be started (nothing selected…). */
  notice: string | null
  onCancelCompose(): void
  onCreated(thread: CommentThread): void
  onReveal(threadId: string): void
}) {
  const [status, setStatus] = useState<StatusFilter>('open')
  const [mine, setMine] = useState(false)
  const [affiliation, setAffiliation] = useState<Affiliation | ''>('')
  const placed = useEditorStateAfterPaint({ editor, selector: ({ editor: current }) => placements(current), equalityFn: samePlacements })
  const path = `/documents/${documentId}/threads`

  // The focused thread is always shown, whatever the filters say, and scrolled into view.
  useEffect(() => {
    if (!activeId) return
    window.document
      .querySelector(`.sidebar [data-thread-id="${CSS.escape(activeId)}"]`)
      ?.scrollIntoView({ block: 'nearest', behavior: 'smooth' })
  }, [activeId])

  const placement = new Map(placed.map((entry) => [entry.id, entry]))
  const threads = [...(live.threads ?? [])].sort(
    (a, b) => (placement.get(a.id)?.order ?? Infinity) - (placement.get(b.id)?.order ?? Infinity) || a.createdAt.localeCompare(b.createdAt),
  )
  const shown = threads.filter(
    (thread) =>
      thread.id === activeId ||
      ((status === 'all' || thread.status === status) &&
        (!mine || thread.comments.some((comment) => comment.author.username === me)) &&
        (!affiliation || thread.comments.some((comment) => comment.author.affiliation === affiliation))),
  )

  return (
    <div className="comments">
      {composing && (
        <section className="comments__new" aria-label="New comment">
          <p className="thread__quote-text comments__new-quote">
            <q>{composing.quote}</q>
          </p>
          <CommentComposer
            label="Your comment on the selected text"
            submitLabel="Comment"
            members={members}
            autoFocus
            onCancel={onCancelCompose}
            onSubmit={async (body) => onCreated(await api.post<CommentThread>(path, { body, ...composing }))}
          />
        </section>
      )}
      {!composing && notice && (
        <p className="notice comments__notice" role="status">
          {notice}
        </p>
      )}
      {!composing && canComment && !notice && (
        <p className="muted comments__hint">Select text in the document and press Comment (Ctrl+Alt+M) to start a thread.</p>
      )}
      <div className="comments__filters" role="group" aria-label="Filter threads">
        <select className="input input--compact" aria-label="Show threads" value={status} onChange={(event) => setStatus(event.target.value as StatusFilter)}>
          <option value="open">Open</option>
          <option value="resolved">Resolved</option>
          <option value="all">All</option>
        </select>
        <select
          className="input input--compact"
          aria-label="From people of"
          value={affiliation}
          onChange={(event) => setAffiliation(event.target.value as Affiliation | '')}
        >
          <option value="">Everyone</option>
          {AFFILIATIONS.map((value) => (
            <option key={value} value={value}>
              {AFFILIATION_LABELS[value]}
            </option>
          ))}
        </select>
        <label className="comments__mine">
          <input type="checkbox" checked={mine} onChange={(event) => setMine(event.target.checked)} /> Mine
        </label>
      </div>
      {live.connection === 'reconnecting' && (
        <p className="muted comments__hint" role="status">
          Reconnecting… new comments appear when the connection returns.
        </p>
      )}
      {live.threads === null ? (
        <p className="muted panel__empty">Loading comments…</p>
      ) : shown.length === 0 ? (
        <p className="muted panel__empty">
          {threads.length === 0 ? 'No comments yet.' : 'No threads match these filters.'}
        </p>
      ) : (
        <div className="comments__list" data-testid="threads">
          {shown.map((thread) => (
            <ThreadCard
              key={thread.id}
              thread={thread}
              path={path}
              me={me}
              role={role}
              canComment={canComment}
              members={members}
              active={thread.id === activeId}
              placement={placement.get(thread.id) ?? { deleted: false, pending: true }}
              onReveal={() => onReveal(thread.id)}
              onChanged={live.receive}
            />
          ))}
        </div>
      )}
    </div>
  )
}
