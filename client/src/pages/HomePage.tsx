import { ROLE_LABELS, type DocumentSummary } from '@accord/shared'
import { useCallback, useEffect, useState } from 'react'
import { api, errorMessage } from '../api/client'
import { AppHeader } from '../components/AppHeader'
import { Avatar } from '../components/Avatar'
import { Dialog } from '../components/Dialog'
import { FormError, TextField } from '../components/Field'
import { relativeTime } from '../components/time'
import { useFormSubmit } from '../components/useFormSubmit'
import { Link, navigate } from '../router'
import { useUser } from '../session'

/** Presence on the list is refreshed this often while the page is open. */
const REFRESH_MS = 10_000

export function HomePage() {
  const user = useUser()
  const [documents, setDocuments] = useState<DocumentSummary[] | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [creating, setCreating] = useState(false)
  const [showArchived, setShowArchived] = useState(false)

  const load = useCallback(() => {
    api.get<DocumentSummary[]>('/documents').then(
      (list) => {
        setDocuments(list)
        setLoadError(null)
      },
      (error: unknown) => setLoadError(errorMessage(error)),
    )
  }, [])

  useEffect(() => {
    load()
    const timer = setInterval(load, REFRESH_MS)
    return () => clearInterval(timer)
  }, [load])

  const active = documents?.filter((document) => document.status === 'active') ?? []
  const archived = documents?.filter((document) => document.status === 'archived') ?? []

  return (
    <>
      <AppHeader />
      <main className="page" id="main">
        <div className="page__heading">
          <div>
            <h1>Your documents</h1>
            <p className="muted">Agreements you are drafting, reviewing or following.</p>
          </div>
          {user.isAdmin && (
            <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
              New document
            </button>
          )}
        </div>

        {loadError && (
          <p className="notice notice--error" role="alert">
            {loadError}
          </p>
        )}
        {documents === null && !loadError && <p className="muted">Loading your documents…</p>}
        {documents !== null && active.length === 0 && (
          <div className="empty-state">
            <h2>No documents yet</h2>
            <p className="muted">
              {user.isAdmin
                ? 'Create the first agreement, then add the committee as members.'
                : 'When an owner adds you to a document, it appears here.'}
            </p>
          </div>
        )}
        {active.length > 0 && <DocumentList documents={active} />}

        {archived.length > 0 && (
          <section className="archived">
            <button
              type="button"
              className="button button--quiet"
              aria-expanded={showArchived}
              onClick={() => setShowArchived((shown) => !shown)}
            >
              {showArchived ? 'Hide' : 'Show'} archived ({archived.length})
            </button>
            {showArchived && <DocumentList documents={archived} />}
          </section>
        )}
      </main>
      <NewDocumentDialog open={creating} onClose={() => setCreating(false)} />
    </>
  )
}

function DocumentList({ documents }: { documents: DocumentSummary[] }) {
  return (
    <ul className="document-list">
      {documents.map((document) => (
        <li key={document.id} className="document-card">
          <Link to={`/documents/${document.id}`} className="document-card__title">
            {document.title}
          </Link>
          <div className="document-card__meta">
            {document.status === 'archived' && <span className="badge badge--muted">Archived</span>}
            {document.status === 'final' && <span className="badge badge--final">Final</span>}
            <span className="badge">{ROLE_LABELS[document.role]}</span>
            <span className="muted">Edited {relativeTime(document.updatedAt)}</span>
          </div>
          <div className="document-card__online" aria-label={onlineLabel(document)}>
            {document.online.slice(0, 6).map((person) => (
              <Avatar key={person.username} name={person.displayName} affiliation={person.affiliation} size="small" />
            ))}
            {document.online.length > 6 && <span className="muted">+{document.online.length - 6}</span>}
            {document.online.length > 0 && (
              <span className="online-label" aria-hidden="true">
                <span className="online-dot" />
                {document.online.length} here now
              </span>
            )}
          </div>
        </li>
      ))}
    </ul>
  )
}

function onlineLabel(document: DocumentSummary): string {
  if (document.online.length === 0) return 'Nobody is in this document now'
  return `In this document now: ${document.online.map((person) => person.displayName).join(', ')}`
}

function NewDocumentDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { onSubmit, error, busy } = useFormSubmit(async (form) => {
    const created = await api.post<DocumentSummary>('/documents', { title: form.get('title'), startFrom: form.get('startFrom') })
    navigate(`/documents/${created.id}`)
  })

  return (
    <Dialog title="New document" open={open} onClose={onClose}>
      <form onSubmit={onSubmit}>
        <TextField
          label="Title"
          name="title"
          required
          maxLength={200}
          data-autofocus
          placeholder="MOU: Denver Public Schools and Denver Police Department"
        />
        <fieldset className="choice">
          <legend>Start from</legend>
          <label className="choice__option">
            <input type="radio" name="startFrom" value="model" defaultChecked />
            <span>
              <strong>The model MOU</strong>
              <span className="muted"> — the library’s standard clauses, assembled into a complete first draft</span>
            </span>
          </label>
          <label className="choice__option">
            <input type="radio" name="startFrom" value="blank" />
            <span>
              <strong>A blank page</strong>
            </span>
          </label>
        </fieldset>
        <p className="field__hint">You will be its owner, and can add the committee once it is open.</p>
        <FormError message={error} />
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create document'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
