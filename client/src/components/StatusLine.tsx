import { CloseCode, describeClose } from '@accord/shared'
import { canShowText, editorSession, type CollaborationSnapshot } from '../collab/collaboration'

interface Status {
  tone: 'neutral' | 'good' | 'busy' | 'warn' | 'bad'
  text: string
  detail?: string
  /** The detail matters enough to be shown under the header, not only as a tooltip. */
  prominent?: boolean
}

export function describeStatus(snapshot: CollaborationSnapshot): Status {
  const canEdit = editorSession(snapshot)?.canEdit ?? false
  if (snapshot.closed) return { tone: 'bad', text: 'Disconnected', detail: snapshot.closed.message }
  if (snapshot.unavailable) {
    return {
      tone: 'warn',
      text: 'Unavailable',
      detail: canEdit
        ? `${describeClose(CloseCode.Unavailable)} Your changes are kept on this device and sent when it opens.`
        : describeClose(CloseCode.Unavailable),
      prominent: true,
    }
  }
  if (snapshot.connection === 'offline') {
    return canEdit
      ? {
          tone: 'warn',
          text: 'Offline',
          detail: 'You can keep working: your changes are kept on this device and sent when the connection returns.',
          prominent: true,
        }
      : { tone: 'warn', text: 'Offline', detail: 'Accord reconnects by itself; new changes appear when it does.', prominent: true }
  }
  if (!canShowText(snapshot) || snapshot.connection === 'connecting') return { tone: 'neutral', text: 'Connecting…' }
  if (!snapshot.loaded) return { tone: 'neutral', text: 'Connecting…', detail: 'Showing the copy kept on this device.' }
  if (!canEdit) return { tone: 'good', text: 'Up to date', detail: 'You are following along live.' }
  if (snapshot.saveFailed) {
    return {
      tone: 'bad',
      text: 'Not saved',
      detail: `${snapshot.saveFailed} Your changes are kept on this device until the server confirms it has stored them.`,
      prominent: true,
    }
  }
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

/** The status's explanation, in words under the header, when the person needs it (offline, not saved). */
export function StatusNote({ snapshot }: { snapshot: CollaborationSnapshot }) {
  const status = describeStatus(snapshot)
  if (!status.prominent || !status.detail) return null
  return (
    <p className={`status-note status-note--${status.tone}`} role="status" data-testid="save-status-detail">
      <strong>{status.text}.</strong> {status.detail}
    </p>
  )
}
