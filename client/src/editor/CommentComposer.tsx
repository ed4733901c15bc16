import { AFFILIATION_LABELS, COMMENT_MAX, type Member } from '@accord/shared'
import { useId, useRef, useState, type KeyboardEvent } from 'react'
import { flushSync } from 'react-dom'
import { errorMessage } from '../api/client'
import { FormError } from '../components/Field'

const MENTION_AT_CARET = /(^|[\s(])@([a-z0-9._-]{0,40})$/i

/**
 * A comment text box: Ctrl+Enter sends, Escape cancels, and "@" offers the document's members
 * (arrow keys, Enter or Tab to pick). The server's refusal, if any, is shown under it.
 */
export function CommentComposer({
  label,
  submitLabel,
  initial = '',
  members,
  onSubmit,
  onCancel,
  autoFocus = false,
}: {
  label: string
  submitLabel: string
  initial?: string
  members: readonly Member[]
  onSubmit(body: string): Promise<void>
  onCancel?: () => void
  autoFocus?: boolean
}) {
  const [text, setText] = useState(initial)
  const [caret, setCaret] = useState(initial.length)
  const [choice, setChoice] = useState(0)
  const [dismissed, setDismissed] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const box = useRef<HTMLTextAreaElement>(null)
  const id = useId()

  const query = MENTION_AT_CARET.exec(text.slice(0, caret))
  const needle = query?.[2]?.toLowerCase() ?? ''
  const options =
    query && !dismissed
      ? members
          .filter((member) => member.username.startsWith(needle) || member.displayName.toLowerCase().includes(needle))
          .slice(0, 6)
      : []
  const open = options.length > 0
  const active = Math.min(choice, options.length - 1)

  const track = (element: HTMLTextAreaElement) => {
    setText(element.value)
    setCaret(element.selectionStart)
  }

  const pick = (member: Member) => {
    const start = caret - needle.length - 1
    const next = `${text.slice(0, start)}@${member.username} ${text.slice(caret)}`
    const at = start + member.username.length + 2
    // Committed now and the caret placed at once: a key typed before the next frame would
    // otherwise land at the end of the text, and the rest after the mention.
    flushSync(() => {
      setText(next)
      setCaret(at)
      setChoice(0)
    })
    box.current?.focus()
    box.current?.setSelectionRange(at, at)
  }

  const submit = async () => {
    if (busy || !text.trim()) return
    setBusy(true)
    setError(null)
    try {
      await onSubmit(text.trim())
      setText('')
      setCaret(0)
    } catch (failure) {
      setError(errorMessage(failure))
    } finally {
      setBusy(false)
    }
  }

  const handleKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault()
      setChoice((active + (event.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length)
    } else if (open && (event.key === 'Enter' || event.key === 'Tab') && !event.ctrlKey && !event.metaKey) {
      event.preventDefault()
      pick(options[active]!)
    } else if (open && event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      setDismissed(true)
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault()
      void submit()
    } else if (event.key === 'Escape' && onCancel) {
      event.preventDefault()
      onCancel()
    }
  }

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault()
        void submit()
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <div className="composer__box">
        <textarea
          ref={box}
          id={id}
          className="input input--compact composer__text"
          value={text}
          rows={3}
          maxLength={COMMENT_MAX}
          placeholder="Write a comment; @ mentions a member"
          autoFocus={autoFocus}
          role="combobox"
          aria-expanded={open}
          aria-autocomplete="list"
          aria-controls={`${id}-mentions`}
          aria-activedescendant={open ? `${id}-mention-${active}` : undefined}
          onChange={(event) => {
            track(event.currentTarget)
            setDismissed(false)
          }}
          onSelect={(event) => track(event.currentTarget)}
          onKeyDown={handleKey}
        />
        <ul id={`${id}-mentions`} role="listbox" aria-label="Members to mention" className="mentions" hidden={!open}>
          {options.map((member, index) => (
            <li
              key={member.username}
              id={`${id}-mention-${index}`}
              role="option"
              aria-selected={index === active}
              className="mentions__option"
              onMouseDown={(event) => {
                event.preventDefault()
                pick(member)
              }}
            >
              <span className="mentions__name">{member.displayName}</span>
              <span className="muted"> @{member.username} · {AFFILIATION_LABELS[member.affiliation]}</span>
            </li>
          ))}
        </ul>
      </div>
      <FormError message={error} />
      <div className="composer__actions">
        {onCancel && (
          <button type="button" className="button button--small button--quiet" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="button button--small button--primary" disabled={busy || !text.trim()}>
          {submitLabel}
        </button>
      </div>
    </form>
  )
}
