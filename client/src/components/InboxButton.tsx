import type { InboxItem } from '@accord/shared'
import { useCallback, useEffect, useState } from 'react'
import { api, errorMessage } from '../api/client'
import { Icon } from '../editor/icons'
import { navigate } from '../router'
import { Avatar } from './Avatar'
import { Dialog } from './Dialog'
import { relativeTime } from './time'

const REFRESH_MS = 30_000

const changeListeners = new Set<() => void>()
/** A comment arrived somewhere this person is looking: it may be for them, so look again. */
export function inboxMayHaveChanged(): void {
  for (const listener of changeListeners) listener()
}

/** Mentions of the person and replies in their threads, across their documents. */
export function InboxButton() {
  const [items, setItems] = useState<InboxItem[]>([])
  const [open, setOpen] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)

  const refresh = useCallback(() => {
    api.get<InboxItem[]>('/inbox').then(
      (next) => {
        setItems(next)
        setProblem(null)
      },
      (error: unknown) => setProblem(errorMessage(error)),
    )
  }, [])

  useEffect(() => {
    refresh()
    const timer = setInterval(refresh, REFRESH_MS)
    window.addEventListener('focus', refresh)
    changeListeners.add(refresh)
    return () => {
      clearInterval(timer)
      window.removeEventListener('focus', refresh)
      changeListeners.delete(refresh)
    }
  }, [refresh])

  const unread = items.filter((item) => !item.read).length

  const openItem = async (item: InboxItem) => {
    setOpen(false)
    if (!item.read) {
      setItems((current) => current.map((candidate) => (candidate.id === item.id ? { ...candidate, read: true } : candidate)))
      await api.post(`/inbox/${item.id}/read`).catch(() => {})
    }
    navigate(`/documents/${item.document.id}?thread=${item.threadId}`)
  }

  return (
    <>
      <button
        type="button"
        className="button button--quiet inbox-button"
        data-testid="inbox-button"
        aria-label={unread > 0 ? `Inbox, ${unread} unread` : 'Inbox'}
        onClick={() => {
          refresh()
          setOpen(true)
        }}
      >
        <Icon name="inbox" />
        <span className="hide-narrow">Inbox</span>
        {unread > 0 && (
          <span className="inbox-button__count" aria-hidden="true">
            {unread}
          </span>
        )}
      </button>
      <Dialog title="Inbox" open={open} onClose={() => setOpen(false)}>
        {problem && <p className="form-error">{problem}</p>}
        {items.length === 0 ? (
          <p className="muted">Nothing yet. When someone mentions you with @, or replies in a thread you started, it shows here.</p>
        ) : (
          <ul className="inbox" aria-label="Mentions and replies">
            {items.map((item, index) => (
              <li key={item.id}>
                <button
                  type="button"
                  className={item.read ? 'inbox__item' : 'inbox__item inbox__item--unread'}
                  data-testid="inbox-item"
                  data-autofocus={index === 0 ? true : undefined}
                  onClick={() => void openItem(item)}
                >
                  <Avatar name={item.from.displayName} affiliation={item.from.affiliation} size="small" />
                  <span className="inbox__text">
                    <span className="inbox__headline">
                      <strong>{item.from.displayName}</strong> {item.kind === 'mention' ? 'mentioned you' : 'replied in your thread'} in{' '}
                      <strong>{item.document.title}</strong>
                      {!item.read && <span className="visually-hidden"> (unread)</span>}
                    </span>
                    <span className="inbox__excerpt">{item.excerpt ?? 'This comment was deleted by its author.'}</span>
                    <span className="inbox__quote muted">
                      On <q>{item.quote}</q> · {relativeTime(item.createdAt)}
                    </span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </Dialog>
    </>
  )
}
