import type { CollaborationSnapshot } from '../collab/collaboration'

interface Status {
  tone: 'neutral' | 'good' | 'busy' | 'warn' | 'bad'
  text: string
  detail?: string
}

export function describeStatus(snapshot: CollaborationSnapshot): Status {
  const canEdit = snapshot.session?.canEdit ?? false
  if (snapshot.closed) return { tone: 'bad', text: 'Disconnected', detail: snapshot.closed.message }
  if (snapshot.connection === 'offline') {
    return snapshot.unsaved
      ? { tone: 'warn', text: 'Offline', detail: 'Your changes are kept here and sent when the connection returns.' }
      : { tone: 'warn', text: 'Offline', detail: 'Reconnecting…' }
  }
  if (!snapshot.loaded || snapshot.connection === 'connecting') return { tone: 'neutral', text: 'Connecting…' }
  if (!canEdit) return { tone: 'good', text: 'Up to date', detail: 'You are following along live.' }
  if (snapshot.unsaved) return { tone: 'busy', text: 'Saving…' }
  return { tone: 'good', text: 'Saved', detail: 'All changes are stored on the server.' }
}

/** The one line that tells a person whether their words are safe. Announced politely to screen readers. */
export function StatusLine({ snapshot }: { snapshot: CollaborationSnapshot }) {
  const status = describeStatus(snapshot)
  return (
    <p className={`status status--${status.tone}`} role="status" aria-live="polite" title={status.detail} data-testid="save-status">
      <span className="status__dot" aria-hidden="true" />
      <span className="status__text">{status.text}</span>
    </p>
  )
}
