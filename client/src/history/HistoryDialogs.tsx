import {
  AFFILIATION_LABELS,
  AFFILIATIONS,
  can,
  type DocumentStatus,
  type Member,
  type RedlineFormat,
  type RestoreResult,
  type Role,
  type VersionSummary,
} from '@accord/shared'
import { useEffect, useId, useState } from 'react'
import { api, errorMessage } from '../api/client'
import { Dialog } from '../components/Dialog'
import { FormError } from '../components/Field'
import { saveFromApi } from '../export/saveFile'
import type { HistoryRequest } from './HistoryPanel'
import { redlinePath, restorePath, versionsPath, versionViewPath, type RedlineChoice } from './historyPaths'

const DOWNLOADS: Array<[RedlineFormat, string]> = [
  ['docx', 'Word, with tracked changes'],
  ['pdf', 'PDF'],
  ['html', 'Web page'],
]

/** The dialogs the History panel opens: a version as it was, a redline, a restore. */
export function HistoryDialogs({
  documentId,
  title,
  role,
  status,
  members,
  request,
  onRequest,
  onClose,
  onRestored,
}: {
  documentId: string
  title: string
  role: Role
  status: DocumentStatus
  members: readonly Member[]
  request: HistoryRequest | null
  onRequest(request: HistoryRequest): void
  onClose(): void
  onRestored(result: RestoreResult): void
}) {
  return (
    <>
      <Dialog title={request?.kind === 'view' ? request.version.name : 'Version'} open={request?.kind === 'view'} onClose={onClose} large>
        {request?.kind === 'view' && (
          <div className="version-view">
            <p className="muted version-view__lead">The text as it was when this version was saved, with its numbering then. It cannot be edited here.</p>
            <div className="dialog__actions version-view__actions">
              <button type="button" className="button" onClick={() => onRequest({ kind: 'redline', from: request.version.id, to: 'current' })}>
                Changes since this version
              </button>
              {can(role, 'restoreVersion', status) && (
                <button type="button" className="button" onClick={() => onRequest({ kind: 'restore', version: request.version })}>
                  Restore…
                </button>
              )}
            </div>
            <iframe
              className="export-dialog__frame"
              title={`${request.version.name}, as it was`}
              sandbox=""
              referrerPolicy="same-origin"
              src={`/api${versionViewPath(documentId, request.version.id)}`}
            />
          </div>
        )}
      </Dialog>
      <Dialog title="Changes" open={request?.kind === 'redline'} onClose={onClose} large>
        {request?.kind === 'redline' && (
          <RedlineView documentId={documentId} title={title} role={role} status={status} members={members} from={request.from} to={request.to} />
        )}
      </Dialog>
      <Dialog title="Restore this version?" open={request?.kind === 'restore'} onClose={onClose}>
        {request?.kind === 'restore' && <RestoreConfirm documentId={documentId} version={request.version} onCancel={onClose} onRestored={onRestored} />}
      </Dialog>
    </>
  )
}

function RedlineView({
  documentId,
  title,
  role,
  status,
  members,
  from,
  to,
}: {
  documentId: string
  title: string
  role: Role
  status: DocumentStatus
  members: readonly Member[]
  from: number
  to: number | 'current'
}) {
  const [choice, setChoice] = useState<RedlineChoice>({ from, to, person: '', affiliation: '' })
  const [versions, setVersions] = useState<VersionSummary[]>([])
  const [preparing, setPreparing] = useState<RedlineFormat | null>(null)
  const [error, setError] = useState<string | null>(null)
  const ids = { from: useId(), to: useId(), person: useId(), affiliation: useId() }
  const canDownload = can(role, 'export', status)

  useEffect(() => {
    api.get<VersionSummary[]>(versionsPath(documentId)).then(setVersions, (failure: unknown) => setError(errorMessage(failure)))
  }, [documentId])

  const download = async (format: RedlineFormat) => {
    setError(null)
    setPreparing(format)
    try {
      await saveFromApi(redlinePath(documentId, choice, format))
    } catch (failure) {
      setError(errorMessage(failure))
    } finally {
      setPreparing(null)
    }
  }

  const versionOptions = versions.map((version) => (
    <option key={version.id} value={version.id}>
      {version.name} · {new Date(version.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}
    </option>
  ))
  const pick = (value: string): number | 'current' => (value === 'current' ? 'current' : Number(value))

  return (
    <div className="export-dialog">
      <div className="export-dialog__options redline-options">
        <div className="field">
          <label htmlFor={ids.from}>From</label>
          <select id={ids.from} value={String(choice.from)} onChange={(event) => setChoice({ ...choice, from: pick(event.target.value) })} data-autofocus>
            {versionOptions}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.to}>To</label>
          <select id={ids.to} value={String(choice.to)} onChange={(event) => setChoice({ ...choice, to: pick(event.target.value) })}>
            <option value="current">The current text</option>
            {versionOptions}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.person}>Changes by</label>
          <select id={ids.person} value={choice.person} onChange={(event) => setChoice({ ...choice, person: event.target.value })} data-testid="redline-person">
            <option value="">Everyone</option>
            {members.map((member) => (
              <option key={member.username} value={member.username}>
                {member.displayName}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.affiliation}>Affiliation</label>
          <select id={ids.affiliation} value={choice.affiliation} onChange={(event) => setChoice({ ...choice, affiliation: event.target.value })}>
            <option value="">Any</option>
            {AFFILIATIONS.map((affiliation) => (
              <option key={affiliation} value={affiliation}>
                {AFFILIATION_LABELS[affiliation]}
              </option>
            ))}
          </select>
        </div>
        <p className="field__hint">Only the chosen people’s changes are marked; everyone else’s are shown as made.</p>
        {canDownload && (
          <div className="redline-downloads">
            <h3>Download this redline</h3>
            {DOWNLOADS.map(([format, label]) => (
              <button key={format} type="button" className="button button--small" disabled={preparing !== null} onClick={() => void download(format)}>
                {preparing === format ? 'Preparing…' : label}
              </button>
            ))}
          </div>
        )}
        <FormError message={error} />
      </div>
      <section className="export-dialog__preview" aria-label="Redline">
        <iframe
          key={redlinePath(documentId, choice, 'html')}
          className="export-dialog__frame"
          title={`Changes to ${title}`}
          sandbox=""
          referrerPolicy="same-origin"
          src={`/api${redlinePath(documentId, choice, 'html', true)}`}
          data-testid="redline-frame"
        />
      </section>
    </div>
  )
}

function RestoreConfirm({
  documentId,
  version,
  onCancel,
  onRestored,
}: {
  documentId: string
  version: VersionSummary
  onCancel(): void
  onRestored(result: RestoreResult): void
}) {
  const [restoring, setRestoring] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const restore = async () => {
    setError(null)
    setRestoring(true)
    try {
      onRestored(await api.post<RestoreResult>(restorePath(documentId, version.id)))
    } catch (failure) {
      setError(errorMessage(failure))
      setRestoring(false)
    }
  }
  return (
    <div>
      <p>
        The text becomes as it was in <strong>{version.name}</strong>. This is a new change in your name that everyone sees at once;
        comments on text that did not change stay where they are.
      </p>
      <p className="muted">The text as it is now is saved first as a version, so restoring that one undoes this.</p>
      <FormError message={error} />
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="button button--primary" disabled={restoring} onClick={() => void restore()} data-autofocus data-testid="confirm-restore">
          {restoring ? 'Restoring…' : 'Restore'}
        </button>
      </div>
    </div>
  )
}
