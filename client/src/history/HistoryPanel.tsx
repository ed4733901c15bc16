import { AFFILIATION_LABELS, can, type ActivityItem, type DocumentStatus, type Role, type VersionSummary } from '@accord/shared'
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react'
import { api, errorMessage } from '../api/client'
import { FormError } from '../components/Field'
import { relativeTime } from '../components/time'
import { activityPath, versionsPath } from './historyPaths'

/** What a History panel asks the page to open. */
export type HistoryRequest =
  | { kind: 'view'; version: VersionSummary }
  | { kind: 'redline'; from: number; to: number | 'current' }
  | { kind: 'restore'; version: VersionSummary }

const ACTIVITY_VERBS: Record<ActivityItem['kind'], string> = {
  joined: 'opened the document',
  edited: 'edited',
  commented: 'commented on',
  resolved: 'resolved the thread on',
  versionSaved: 'saved the version',
  restored: 'restored the version',
  exported: 'exported it as',
  finalized: 'finalized it as',
  reopened: 'reopened',
}

/**
 * The History tab: save the current text as a named version, the list of versions and
 * checkpoints (view, compare, restore), and what has happened to the document.
 */
export function HistoryPanel({
  documentId,
  role,
  status,
  refreshKey,
  onRequest,
}: {
  documentId: string
  role: Role
  status: DocumentStatus
  /** Changes when a restore elsewhere on the page added a version. */
  refreshKey: number
  onRequest(request: HistoryRequest): void
}) {
  const [versions, setVersions] = useState<VersionSummary[] | null>(null)
  const [activity, setActivity] = useState<ActivityItem[]>([])
  const [name, setName] = useState('')
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const nameId = useId()
  const canSave = can(role, 'saveVersion', status)
  const canRestore = can(role, 'restoreVersion', status)

  const load = useCallback(() => {
    api.get<VersionSummary[]>(versionsPath(documentId)).then(
      (list) => {
        setVersions(list)
        setLoadError(null)
      },
      (failure: unknown) => setLoadError(errorMessage(failure)),
    )
    api.get<ActivityItem[]>(activityPath(documentId)).then(setActivity, () => {})
  }, [documentId])

  useEffect(() => {
    load()
    // Others save versions too; a panel left open catches up now and then.
    const timer = setInterval(load, 30_000)
    return () => clearInterval(timer)
  }, [load, refreshKey])

  const save = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    setSaving(true)
    try {
      await api.post<VersionSummary>(versionsPath(documentId), { name })
      setName('')
      load()
    } catch (failure) {
      setError(errorMessage(failure))
    } finally {
      setSaving(false)
    }
  }

  return (
    <div className="doc-history" data-testid="history-panel">
      {canSave && (
        <form className="doc-history__save" onSubmit={(event) => void save(event)}>
          <label htmlFor={nameId}>Save this version as</label>
          <div className="doc-history__save-row">
            <input
              id={nameId}
              value={name}
              maxLength={120}
              placeholder="Draft for the June 4 meeting"
              onChange={(event) => setName(event.target.value)}
              data-testid="version-name"
            />
            <button type="submit" className="button button--primary button--small" disabled={saving || name.trim() === ''} data-testid="save-version">
              {saving ? 'Saving…' : 'Save'}
            </button>
          </div>
          <FormError message={error} />
        </form>
      )}
      <h3 className="doc-history__heading">Versions</h3>
      {loadError && <p className="notice notice--error">{loadError}</p>}
      {versions === null ? (
        <p className="muted panel__empty">Loading…</p>
      ) : versions.length === 0 ? (
        <p className="muted panel__empty">
          No versions yet. {canSave ? 'Save one before a meeting, so everyone can see what changed since.' : 'Drafters, clerks and owners save them.'}
        </p>
      ) : (
        <ol className="doc-history__list" data-testid="version-list">
          {versions.map((version, index) => (
            <li key={version.id} className={`doc-history__item doc-history__item--${version.kind}`} data-testid="version-item">
              <div className="doc-history__name">{version.name}</div>
              <div className="doc-history__meta">
                {version.createdBy ? (
                  <>
                    {version.createdBy.displayName}
                    <span className="doc-history__affiliation"> · {AFFILIATION_LABELS[version.createdBy.affiliation]}</span>
                  </>
                ) : (
                  'Saved automatically'
                )}{' '}
                · <time dateTime={version.createdAt} title={new Date(version.createdAt).toLocaleString()}>{relativeTime(version.createdAt)}</time>
              </div>
              <div className="doc-history__actions">
                <button type="button" className="link-button" onClick={() => onRequest({ kind: 'view', version })}>
                  View<span className="visually-hidden"> {version.name}</span>
                </button>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => onRequest({ kind: 'redline', from: version.id, to: 'current' })}
                  data-testid="compare-with-now"
                >
                  Changes since<span className="visually-hidden"> {version.name}</span>
                </button>
                {versions[index + 1] && (
                  <button type="button" className="link-button" onClick={() => onRequest({ kind: 'redline', from: versions[index + 1]!.id, to: version.id })}>
                    Changes in this version
                  </button>
                )}
                {canRestore && (
                  <button type="button" className="link-button" onClick={() => onRequest({ kind: 'restore', version })} data-testid="restore-version">
                    Restore…<span className="visually-hidden"> {version.name}</span>
                  </button>
                )}
              </div>
            </li>
          ))}
        </ol>
      )}
      <h3 className="doc-history__heading">Activity</h3>
      {activity.length === 0 ? (
        <p className="muted panel__empty">Nothing yet.</p>
      ) : (
        <ol className="doc-history__activity" data-testid="activity-list">
          {activity.slice(0, 50).map((item, index) => (
            <li key={`${item.at}-${index}`}>
              <strong>{item.person?.displayName ?? 'Accord'}</strong> {ACTIVITY_VERBS[item.kind]}
              {item.detail && <> {item.kind === 'commented' || item.kind === 'resolved' || item.kind === 'versionSaved' || item.kind === 'restored' ? `“${item.detail}”` : item.detail}</>}
              <span className="muted">
                {' '}
                · <time dateTime={item.at}>{relativeTime(item.at)}</time>
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}
