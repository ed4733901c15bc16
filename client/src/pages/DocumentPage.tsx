import { can, CloseCode, ROLE_LABELS, type DocumentSummary } from '@accord/shared'
import { useEffect, useState } from 'react'
import { api, ApiRequestError, errorMessage } from '../api/client'
import { useCollaboration } from '../collab/useCollaboration'
import { AppHeader } from '../components/AppHeader'
import { MemberBar } from '../components/MemberBar'
import { StatusLine } from '../components/StatusLine'
import { Editor } from '../editor/Editor'
import { Link } from '../router'
import { useSession, useUser } from '../session'
import { DocumentSettingsDialog } from './DocumentSettingsDialog'
import { MembersDialog } from './MembersDialog'
import { NotFoundPage } from './NotFoundPage'

const READ_ONLY_NOTES = {
  reviewer: 'You are a reviewer: you read along live; drafters and owners edit the text.',
  clerk: 'You are the clerk: you read along live; drafters and owners edit the text.',
  viewer: 'You are following this document live; only drafters and owners edit the text.',
} as const

export function DocumentPage({ documentId }: { documentId: string }) {
  const user = useUser()
  const { signOut } = useSession()
  const [document, setDocument] = useState<DocumentSummary | null>(null)
  const [missing, setMissing] = useState<string | null>(null)
  const [dialog, setDialog] = useState<'members' | 'settings' | null>(null)
  const [live, snapshot] = useCollaboration(documentId)

  // The socket's session is the authority on what this person may do now; the REST answer
  // only fills the page before it arrives.
  const role = snapshot.session?.role ?? document?.role ?? null
  const canEdit = snapshot.session?.canEdit ?? false

  useEffect(() => {
    api.get<DocumentSummary>(`/documents/${documentId}`).then(setDocument, (error: unknown) =>
      setMissing(error instanceof ApiRequestError && error.status === 404 ? '' : errorMessage(error)),
    )
  }, [documentId, role])

  useEffect(() => {
    if (document) window.document.title = `${document.title} · Accord`
    return () => {
      window.document.title = 'Accord'
    }
  }, [document])

  // The session ended (signed out elsewhere, deactivated, password reset): back to sign-in.
  const sessionEnded = snapshot.closed?.code === CloseCode.Unauthorized
  useEffect(() => {
    if (sessionEnded) void signOut()
  }, [sessionEnded, signOut])

  useEffect(() => {
    if (!snapshot.unsaved) return
    const warn = (event: BeforeUnloadEvent) => event.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [snapshot.unsaved])

  if (missing !== null || snapshot.closed?.code === CloseCode.NotFound) {
    return <NotFoundPage message={snapshot.closed?.message ?? (missing || undefined)} />
  }

  const readOnlyNote =
    document?.status === 'archived'
      ? 'This document is archived: the text is frozen until an owner restores it.'
      : role && role !== 'owner' && role !== 'drafter'
        ? READ_ONLY_NOTES[role]
        : null

  return (
    <>
      <AppHeader />
      <div className="document-header">
        <div className="document-header__title">
          <Link to="/" className="back-link">
            ← All documents
          </Link>
          <h1>{document?.title ?? 'Loading…'}</h1>
          {role && <span className="badge">{ROLE_LABELS[role]}</span>}
        </div>
        <div className="document-header__actions">
          <StatusLine snapshot={snapshot} />
          <MemberBar people={snapshot.people} me={user.username} />
          <button type="button" className="button" onClick={() => setDialog('members')}>
            Members
          </button>
          {role && can(role, 'manageDocument') && document && (
            <button type="button" className="button" onClick={() => setDialog('settings')}>
              Settings
            </button>
          )}
        </div>
      </div>
      {readOnlyNote && (
        <p className="read-only-note" data-testid="read-only-note">
          {readOnlyNote}
        </p>
      )}
      {snapshot.closed && (
        <p className="notice notice--error centered-block" role="alert">
          {snapshot.closed.message}
        </p>
      )}
      <main className="document-main" id="main">
        {live && snapshot.loaded && snapshot.session ? (
          <Editor key={String(canEdit)} live={live} user={user} canEdit={canEdit} title={document?.title ?? 'Document'} />
        ) : (
          <div className="paper paper--loading" aria-busy="true">
            <p className="muted">Opening the document…</p>
          </div>
        )}
      </main>
      {role && (
        <MembersDialog
          documentId={documentId}
          open={dialog === 'members'}
          onClose={() => setDialog(null)}
          canManage={can(role, 'manageMembers')}
          me={user.username}
        />
      )}
      {document && (
        <DocumentSettingsDialog
          document={document}
          open={dialog === 'settings'}
          onClose={() => setDialog(null)}
          onChanged={setDocument}
        />
      )}
    </>
  )
}
