import { AFFILIATION_LABELS, can, splitMentions, type CommentThread, type Member, type Role, type ThreadComment } from '@accord/shared'
import { useState } from 'react'
import { api } from '../api/client'
import { Avatar } from '../components/Avatar'
import { relativeTime } from '../components/time'
import { CommentComposer } from './CommentComposer'

/** Comment text as text: mentions of members are set apart, nothing is ever read as markup. */
function CommentText({ text, members }: { text: string; members: readonly Member[] }) {
  return (
    <p className="comment__body">
      {splitMentions(text).map((part, index) =>
        part.mention && members.some((member) => member.username === part.mention) ? (
          <span key={index} className="mention">
            {part.text}
          </span>
        ) : (
          part.text
        ),
      )}
    </p>
  )
}

const fullTime = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })

function Time({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={fullTime(iso)}>
      {relativeTime(iso)}
    </time>
  )
}

export interface ThreadPlacement {
  /** The thread's text was deleted (its range collapsed). */
  deleted: boolean
  /** The anchored text has not reached this screen yet. */
  pending: boolean
}

/**
 * One thread: the text it is about, its comments with author, affiliation and time, replies,
 * and resolving. Controls are shown only to those the server would let use them.
 */
export function ThreadCard({
  thread,
  path,
  me,
  role,
  canComment,
  members,
  active,
  placement,
  onReveal,
  onChanged,
}: {
  thread: CommentThread
  /** `/documents/<id>/threads`, for the API calls. */
  path: string
  me: string
  role: Role
  canComment: boolean
  members: readonly Member[]
  active: boolean
  placement: ThreadPlacement
  onReveal(): void
  onChanged(thread: CommentThread): void
}) {
  const [replying, setReplying] = useState(false)
  const [editing, setEditing] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const canResolve = canComment && (thread.author.username === me || can(role, 'edit'))
  const resolved = thread.status === 'resolved'

  const run = async (call: () => Promise<CommentThread>) => {
    setProblem(null)
    try {
      onChanged(await call())
    } catch (error) {
      setProblem(error instanceof Error ? error.message : 'That did not work.')
    }
  }

  const remove = (comment: ThreadComment) => {
    if (!window.confirm('Delete your comment? The thread keeps a note that you deleted it, with the time.')) return
    void run(() => api.delete<CommentThread>(`${path}/${thread.id}/comments/${comment.id}`))
  }

  return (
    <article
      className={`thread${active ? ' thread--active' : ''}${resolved ? ' thread--resolved' : ''}`}
      data-testid="thread"
      data-thread-id={thread.id}
      aria-label={`Thread by ${thread.author.displayName}${resolved ? ', resolved' : ''}`}
    >
      <button type="button" className="thread__quote" onClick={onReveal} title="Show this text in the document">
        {placement.deleted && <span className="thread__where" data-testid="thread-deleted">On deleted text</span>}
        {placement.pending && <span className="thread__where">On text that has not arrived yet</span>}
        <q className={placement.deleted ? 'thread__quote-text is-deleted' : 'thread__quote-text'}>{thread.quote}</q>
      </button>
      <ol className="thread__comments">
        {thread.comments.map((comment) => (
          <li key={comment.id} className="comment" data-testid="comment">
            <div className="comment__meta">
              <Avatar name={comment.author.displayName} affiliation={comment.author.affiliation} size="small" />
              <span className="comment__who">
                <span className="comment__author">{comment.author.displayName}</span>
                <span className="comment__affiliation">{AFFILIATION_LABELS[comment.author.affiliation]}</span>
              </span>
              <span className="comment__time">
                <Time iso={comment.createdAt} />
                {comment.editedAt && !comment.deletedAt && (
                  <span className="comment__edited" title={`Edited ${fullTime(comment.editedAt)}`}>
                    {' '}
                    · edited
                  </span>
                )}
              </span>
            </div>
            {comment.deletedAt ? (
              <p className="comment__tombstone" data-testid="comment-deleted">
                Comment deleted by its author, <Time iso={comment.deletedAt} />.
              </p>
            ) : editing === comment.id ? (
              <CommentComposer
                label="Edit your comment"
                submitLabel="Save"
                initial={comment.body ?? ''}
                members={members}
                autoFocus
                onCancel={() => setEditing(null)}
                onSubmit={async (body) => {
                  onChanged(await api.patch<CommentThread>(`${path}/${thread.id}/comments/${comment.id}`, { body }))
                  setEditing(null)
                }}
              />
            ) : (
              <CommentText text={comment.body ?? ''} members={members} />
            )}
            {canComment && comment.author.username === me && !comment.deletedAt && editing !== comment.id && (
              <div className="comment__actions">
                <button type="button" className="link-button" aria-label="Edit your comment" onClick={() => setEditing(comment.id)}>
                  Edit
                </button>
                <button type="button" className="link-button" aria-label="Delete your comment" onClick={() => remove(comment)}>
                  Delete
                </button>
              </div>
            )}
          </li>
        ))}
      </ol>
      {resolved && thread.resolvedBy && thread.resolvedAt && (
        <p className="thread__resolution" data-testid="thread-resolution">
          Resolved by {thread.resolvedBy.displayName}, <Time iso={thread.resolvedAt} />.
        </p>
      )}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {canComment && (
        <div className="thread__footer">
          {replying ? (
            <CommentComposer
              label={`Reply to ${thread.author.displayName}`}
              submitLabel="Reply"
              members={members}
              autoFocus
              onCancel={() => setReplying(false)}
              onSubmit={async (body) => {
                onChanged(await api.post<CommentThread>(`${path}/${thread.id}/comments`, { body }))
                setReplying(false)
              }}
            />
          ) : (
            <div className="thread__buttons">
              <button type="button" className="button button--small" onClick={() => setReplying(true)}>
                Reply
              </button>
              {canResolve && (
                <button
                  type="button"
                  className="button button--small button--quiet"
                  onClick={() => void run(() => api.patch<CommentThread>(`${path}/${thread.id}`, { status: resolved ? 'open' : 'resolved' }))}
                >
                  {resolved ? 'Reopen' : 'Resolve'}
                </button>
              )}
            </div>
          )}
        </div>
      )}
    </article>
  )
}
