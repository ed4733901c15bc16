import { can, CloseCode, ROLE_LABELS, type DocumentSummary, type FinalSummary, type Member } from '@accord/shared'
import { useEffect, useState } from 'react'
import { api, ApiRequestError, errorMessage } from '../api/client'
import { canShowText, editorSession } from '../collab/collaboration'
import { useCollaboration } from '../collab/useCollaboration'
import { useThreads } from '../collab/useThreads'
import { AppHeader } from '../components/AppHeader'
import { MemberBar } from '../components/MemberBar'
import { StatusLine, StatusNote } from '../components/StatusLine'
import { Editor } from '../editor/Editor'
import { ExportDialog } from '../export/ExportDialog'
import { FinalizeDialog } from '../export/FinalizeDialog'
import { unsetVariables } from '../export/unsetVariables'
import { Link, useLocation } from '../router'
import { useSession, useUser } from '../session'
import { DocumentSettingsDialog } from './DocumentSettingsDialog'
import { MembersDialog } from './MembersDialog'
import { NotFoundPage } from './NotFoundPage'

const READ_ONLY_NOTES = {
  reviewer: 'You are a reviewer: you read along live and comment on the text; drafters and owners edit it.',
  clerk: 'You are the clerk: you read along live and comment on the text; drafters and owners edit it.',
  viewer: 'You are following this document live; only drafters and owners edit the text.',
} as const

export function DocumentPage({ documentId }: { documentId: string }) {
  const user = useUser()
  const { signOut } = useSession()
  const [document, setDocument] = useState<DocumentSummary | null>(null)
  const [missing, setMissing] = useState<string | null>(null)
  const [dialog, setDialog] = useState<'members' | 'settings' | 'export' | 'finalize' | 'reopen' | null>(null)
  const [final, setFinal] = useState<FinalSummary | null>(null)
  const [unset, setUnset] = useState<{ key: string; label: string }[]>([])
  const [reloads, setReloads] = useState(0)
  const [pasteRefusal, setPasteRefusal] = useState<string | null>(null)
  const { collaboration: live, snapshot, refusal, dismissRefusal, gaveUp } = useCollaboration(documentId, user.username)
  const threads = useThreads(documentId)
  const [members, setMembers] = useState<Member[]>([])
  const requestedThread = useLocation().search.get('thread')
  const [focusRequest, setFocusRequest] = useState<{ threadId: string | null } | null>(null)
  const openThreads = threads.threads?.filter((thread) => thread.status === 'open').length ?? 0

  // The socket's session is the authority on what this person may do now; the REST answer
  // only fills the page before it arrives. Offline, the rights remembered on this device stand
  // in for it (the server still checks every write when the connection returns).
  const session = editorSession(snapshot)
  const role = snapshot.session?.role ?? document?.role ?? session?.role ?? null
  const canEdit = session?.canEdit ?? false

  useEffect(() => {
    api.get<DocumentSummary>(`/documents/${documentId}`).then(setDocument, (error: unknown) => {
      // Unreachable is not missing: offline, the document may still open from this device's copy.
      if (error instanceof ApiRequestError && error.status === 0) return
      setMissing(error instanceof ApiRequestError && error.status === 404 ? '' : errorMessage(error))
    })
    // Write access changes with the document's status too (finalized, reopened, archived).
  }, [documentId, role, canEdit, reloads])

  const status = document?.status ?? 'active'
  useEffect(() => {
    setFinal(null)
    if (status !== 'final') return
    // The status turns final before the Final's files are stored (a second or two): ask again until they are.
    let timer: ReturnType<typeof setTimeout> | undefined
    let stopped = false
    const load = (attempt: number) => {
      api.get<FinalSummary[]>(`/documents/${documentId}/finals`).then(
        (finals) => {
          const current = finals.findLast((candidate) => candidate.reopenedAt === null) ?? null
          if (stopped) return
          if (current) setFinal(current)
          else if (attempt < 20) timer = setTimeout(() => load(attempt + 1), 1000)
        },
        () => {},
      )
    }
    load(0)
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [documentId, status])

  /** Export and finalize first list what is not set, from the text as it is now. */
  const openWithVariables = (which: 'export' | 'finalize') => {
    setUnset(live ? unsetVariables(live.doc) : [])
    setDialog(which)
  }

  // Members, for @mentions; asked again when the members dialog closes (it may have changed them).
  useEffect(() => {
    if (dialog === 'members') return
    api.get<Member[]>(`/documents/${documentId}/members`).then(setMembers, () => {})
  }, [documentId, dialog])

  // An Inbox item opens the document at its thread: `?thread=<id>`.
  useEffect(() => {
    if (requestedThread) setFocusRequest({ threadId: requestedThread })
  }, [requestedThread])

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

  // Unsent changes are kept on this device, but only the server shares them with everyone.
  const unsent = snapshot.unsaved || snapshot.saveFailed !== null
  useEffect(() => {
    if (!unsent) return
    const warn = (event: BeforeUnloadEvent) => event.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [unsent])

  /** Closes a message and puts the person back in the text, where they were working. */
  const dismiss = (close: () => void) => {
    close()
    window.document.querySelector<HTMLElement>('[data-testid="document-text"]')?.focus()
  }

  if (missing !== null || snapshot.closed?.code === CloseCode.NotFound) {
    return <NotFoundPage message={snapshot.closed?.message ?? (missing || undefined)} />
  }

  const readOnlyNote =
    status === 'archived'
      ? 'This document is archived: the text is frozen until an owner restores it.'
      : status === 'final'
        ? `This is ${final?.versionLabel ?? 'the Final'}: the text is read-only for everyone. ${role === 'owner' ? 'As an owner, you can reopen it.' : 'Only an owner can reopen it.'}`
        : role && role !== 'owner' && role !== 'drafter'
          ? READ_ONLY_NOTES[role]
          : null

  return (
    <>
      {/* In the sticky header, so the status stays in view however far down one scrolls. */}
      <AppHeader>
        <StatusLine snapshot={snapshot} />
      </AppHeader>
      <div className="document-header">
        <div className="document-header__title">
          <Link to="/" className="back-link">
            ← All documents
          </Link>
          <h1>{document?.title ?? 'Loading…'}</h1>
          {role && <span className="badge">{ROLE_LABELS[role]}</span>}
          {status === 'final' && (
            <span className="badge badge--final" data-testid="final-badge">
              Final{final ? ` · ${final.fingerprint}` : ''}
            </span>
          )}
        </div>
        <div className="document-header__actions">
          <button
            type="button"
            className="button button--quiet thread-count"
            data-testid="open-threads"
            aria-controls="document-tools"
            onClick={() => setFocusRequest({ threadId: null })}
          >
            {openThreads === 1 ? '1 open thread' : `${openThreads} open threads`}
          </button>
          <MemberBar people={snapshot.people} me={user.username} />
          <button type="button" className="button" onClick={() => setDialog('members')}>
            Members
          </button>
          {role && can(role, 'export', status) && document && (
            <button type="button" className="button" onClick={() => openWithVariables('export')}>
              {status === 'final' ? 'Download' : 'Export'}
            </button>
          )}
          {role && can(role, 'finalize', status) && document && (
            <button type="button" className="button" onClick={() => openWithVariables('finalize')}>
              Finalize…
            </button>
          )}
          {role && can(role, 'reopen', status) && document && (
            <button type="button" className="button" onClick={() => setDialog('reopen')}>
              Reopen…
            </button>
          )}
          {role && can(role, 'manageDocument', status) && document && (
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
      <StatusNote snapshot={snapshot} />
      {gaveUp && (
        <p className="notice notice--error centered-block" role="alert">
          The server keeps refusing changes from this page. Reload the page to open the document again.
        </p>
      )}
      {snapshot.closed && (
        <p className="notice notice--error centered-block" role="alert">
          {snapshot.closed.message}
        </p>
      )}
      <main className="document-main" id="main">
        {live && canShowText(snapshot) && (session || snapshot.offlineCopy === 'content') ? (
          <Editor
            key={String(canEdit)}
            live={live}
            user={user}
            canEdit={canEdit}
            title={document?.title ?? 'Document'}
            onPasteRefused={setPasteRefusal}
            documentId={documentId}
            role={role ?? 'viewer'}
            documentStatus={document?.status ?? 'active'}
            threads={threads}
            members={members}
            focusRequest={focusRequest}
          />
        ) : live && snapshot.unavailable ? (
          <div className="paper paper--loading" data-testid="offline-unavailable">
            <div className="offline-empty">
              <h2>This document cannot be opened right now</h2>
              <p>The server cannot read it at the moment. Nothing has been lost.</p>
              <p className="muted">It opens by itself as soon as the server can read it again.</p>
            </div>
          </div>
        ) : live && snapshot.connection === 'offline' && snapshot.offlineCopy !== 'loading' ? (
          <div className="paper paper--loading" data-testid="offline-unavailable">
            <div className="offline-empty">
              <h2>You are offline</h2>
              <p>
                {snapshot.rememberedSession
                  ? 'This document was empty when it was last opened on this device, so there is nothing to show here yet.'
                  : 'This document has not been opened on this device before, so there is no copy of it here yet.'}
              </p>
              <p className="muted">It opens by itself as soon as the connection returns.</p>
            </div>
          </div>
        ) : (
          <div className="paper paper--loading" aria-busy="true">
            <p className="muted">Opening the document…</p>
          </div>
        )}
      </main>
      {/* Messages that need reading but block nothing, kept in view however far the text is scrolled. */}
      <div className="toasts">
        {refusal && (
          <div className="toast toast--error" role="alert" data-testid="refused-write">
            <div className="toast__text">
              <strong>Your last change was not kept.</strong> {refusal.message} The document now shows the copy stored
              on the server; please make the change again.
            </div>
            <button type="button" className="button button--small" onClick={() => dismiss(dismissRefusal)}>
              Dismiss
            </button>
          </div>
        )}
        {pasteRefusal && (
          <div className="toast toast--error" role="alert" data-testid="refused-paste">
            <div className="toast__text">{pasteRefusal}</div>
            <button type="button" className="button button--small" onClick={() => dismiss(() => setPasteRefusal(null))}>
              Dismiss
            </button>
          </div>
        )}
      </div>
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
        <ExportDialog document={document} final={final} unset={unset} open={dialog === 'export'} onClose={() => setDialog(null)} />
      )}
      {document && (
        <FinalizeDialog
          document={document}
          mode={dialog === 'reopen' ? 'reopen' : 'finalize'}
          unset={unset}
          open={dialog === 'finalize' || dialog === 'reopen'}
          onClose={() => setDialog(null)}
          onDone={() => setReloads((count) => count + 1)}
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
