import { can, type CommentThread, type DocumentStatus, type Member, type Role, type User } from '@accord/shared'
import { EditorContent, useEditor } from '@tiptap/react'
import { VARIABLES_FIELD } from '@accord/shared/schema'
import { memo, useCallback, useEffect, useRef, useState } from 'react'
import type { Collaboration } from '../collab/collaboration'
import type { LiveThreads } from '../collab/useThreads'
import { anchorForSelection } from './commentAnchors'
import { CommentsPanel, type Composing } from './CommentsPanel'
import { editorExtensions } from './extensions'
import { LinkDialog } from './LinkDialog'
import { mouViewKey } from './mouView'
import { HistoryDialogs } from '../history/HistoryDialogs'
import { HistoryPanel, type HistoryRequest } from '../history/HistoryPanel'
import { Sidebar, type SidebarTab } from './Sidebar'
import { describeTooLarge, isTooLarge } from './pasteLimit'
import { pastedStylesAsTags } from './pastedStyles'
import { readPendingSelection } from './pendingSelection'
import { Toolbar } from './Toolbar'
import { useCommentHighlights } from './useCommentHighlights'

/** Top-level blocks beyond which the editor lets the browser skip off-screen layout. */
const LONG_DOCUMENT_BLOCKS = 300

/**
 * The document text, bound to the live Y.Doc. Mounted afresh when the person's right to edit
 * changes, because the set of plugins differs between writers and readers. Memoized: the page
 * above re-renders whenever the save status or the people present change, and nothing in here
 * depends on them.
 */
export const Editor = memo(function Editor({
  live,
  user,
  canEdit,
  title,
  onPasteRefused,
  documentId,
  role,
  documentStatus,
  threads,
  members,
  focusRequest,
}: {
  live: Collaboration
  user: User
  canEdit: boolean
  title: string
  /** Called with a sentence for the person when a paste or drop was refused, and with null after one went in. */
  onPasteRefused(message: string | null): void
  documentId: string
  role: Role
  /** Archived documents take no comments. */
  documentStatus: DocumentStatus
  threads: LiveThreads
  members: readonly Member[]
  /** Show the comments (and this thread's text, when it names one); a new object each time it is asked. */
  focusRequest: { threadId: string | null } | null
}) {
  const [linking, setLinking] = useState(false)
  const [tab, setTab] = useState<SidebarTab>(canEdit ? 'outline' : 'comments')
  const [activeThread, setActiveThread] = useState<string | null>(null)
  const [composing, setComposing] = useState<Composing | null>(null)
  const [commentNotice, setCommentNotice] = useState<string | null>(null)
  const [historyRequest, setHistoryRequest] = useState<HistoryRequest | null>(null)
  const [historyRefresh, setHistoryRefresh] = useState(0)
  const canComment = can(role, 'comment', documentStatus)
  // The highlight plugin is created with the editor; it reports clicks through this.
  const activateFromText = useRef<(threadId: string) => void>(() => {})
  const editor = useEditor(
    {
      extensions: editorExtensions(live, user, canEdit, { onActivate: (threadId) => activateFromText.current(threadId) }),
      editable: canEdit,
      injectCSS: false,
      editorProps: {
        attributes: (state) => ({
          // A long agreement skips laying out what is off screen (see editor.css); a short one
          // keeps exact positions, which jumping to a comment below the text relies on.
          class: state.doc.childCount > LONG_DOCUMENT_BLOCKS ? 'document-text document-text--long' : 'document-text',
          'aria-label': `${title}: document text`,
          'aria-readonly': String(!canEdit),
          'data-testid': 'document-text',
        }),
        // Word's and Google Docs' formatting is inline styles, which our CSP keeps from the parser.
        transformPastedHTML: pastedStylesAsTags,
        // The server refuses any single change larger than it accepts, and a refused change costs
        // the person their unsent work (the page reopens from the server's copy), so a paste or
        // drop that would produce one is refused here, before anything is inserted.
        handlePaste: (_view, _event, slice) => {
          if (!canEdit) return false
          if (isTooLarge(slice)) {
            onPasteRefused(describeTooLarge(slice, 'paste'))
            return true
          }
          onPasteRefused(null)
          return false
        },
        handleDrop: (_view, _event, slice, moved) => {
          if (!canEdit || moved) return false
          if (isTooLarge(slice)) {
            onPasteRefused(describeTooLarge(slice, 'drop'))
            return true
          }
          return false
        },
        handleKeyDown: (view, event) => {
          // Enter, Backspace, Tab and the shortcuts act on ProseMirror's selection: a caret the
          // browser has just moved (a click, an arrow key) must be read first.
          readPendingSelection(view)
          if (isCommentShortcut(event)) {
            event.preventDefault()
            startComment.current()
            return true
          }
          if (canEdit && (event.metaKey || event.ctrlKey) && event.key.toLowerCase() === 'k') {
            event.preventDefault()
            setLinking(true)
            return true
          }
          return false
        },
      },
    },
    [live, canEdit],
  )

  // Variable values live beside the text; redraw their decorations when one changes.
  useEffect(() => {
    if (!editor) return
    const map = live.doc.getMap(VARIABLES_FIELD)
    const redraw = () => {
      if (!editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(mouViewKey, true).setMeta('addToHistory', false))
    }
    map.observe(redraw)
    return () => map.unobserve(redraw)
  }, [editor, live])

  const showThreadText = useCommentHighlights(editor, live.doc, threads.threads, activeThread)
  const revealThread = useCallback(
    (threadId: string) => {
      setActiveThread(threadId)
      showThreadText(threadId)
    },
    [showThreadText],
  )

  const startComment = useRef(() => {})
  startComment.current = () => {
    if (!editor || !canComment) return
    const selected = anchorForSelection(editor.state)
    setTab('comments')
    if ('problem' in selected) {
      setComposing(null)
      setCommentNotice(selected.problem)
    } else {
      setCommentNotice(null)
      setComposing(selected)
    }
  }

  activateFromText.current = (threadId) => {
    setActiveThread(threadId)
    setTab('comments')
  }

  // Ctrl+Alt+M also works when the focus is outside the text (readers' text cannot take focus).
  useEffect(() => {
    if (!canComment) return
    const listener = (event: KeyboardEvent) => {
      if (!isCommentShortcut(event) || event.defaultPrevented) return
      event.preventDefault()
      startComment.current()
    }
    window.addEventListener('keydown', listener)
    return () => window.removeEventListener('keydown', listener)
  }, [canComment])

  // Asked from outside (the header's count, an Inbox item): open the comments, maybe one thread.
  const threadsLoaded = threads.threads !== null
  useEffect(() => {
    if (!focusRequest) return
    setTab('comments')
    // On a narrow screen the tools sit below the text: bring them into view.
    const tools = window.document.getElementById('document-tools')
    const box = tools?.getBoundingClientRect()
    if (tools && box && (box.top > window.innerHeight || box.bottom < 0)) tools.scrollIntoView({ block: 'start' })
    if (focusRequest.threadId && threadsLoaded) revealThread(focusRequest.threadId)
  }, [focusRequest, threadsLoaded, revealThread])

  const openThreads = threads.threads?.filter((thread) => thread.status === 'open').length ?? 0
  const commentButton = canComment && (
    <button
      type="button"
      className="toolbar__text-button toolbar__comment"
      aria-keyshortcuts="Control+Alt+M"
      title="Comment on the selected text (Ctrl+Alt+M)"
      onMouseDown={(event) => event.preventDefault()}
      onClick={() => startComment.current()}
    >
      Comment
    </button>
  )

  return (
    <div className="workspace">
      <div className="workspace__text">
        {canEdit && editor && <Toolbar editor={editor} onLink={() => setLinking(true)} extra={commentButton} />}
        {!canEdit && editor && commentButton && (
          <div className="toolbar toolbar--comments" role="toolbar" aria-label="Comments">
            <span className="toolbar__hint">Select text to comment on it.</span>
            {commentButton}
          </div>
        )}
        <div className="paper">
          <EditorContent editor={editor} />
        </div>
      </div>
      {editor && (
        <Sidebar
          editor={editor}
          doc={live.doc}
          canEdit={canEdit}
          tab={tab}
          onTab={setTab}
          openThreads={openThreads}
          comments={
            <CommentsPanel
              editor={editor}
              documentId={documentId}
              live={threads}
              me={user.username}
              role={role}
              canComment={canComment}
              members={members}
              activeId={activeThread}
              composing={composing}
              notice={commentNotice}
              onCancelCompose={() => setComposing(null)}
              onCreated={(thread: CommentThread) => {
                threads.receive(thread)
                setComposing(null)
                setActiveThread(thread.id)
              }}
              onReveal={revealThread}
            />
          }
          history={<HistoryPanel documentId={documentId} role={role} status={documentStatus} refreshKey={historyRefresh} onRequest={setHistoryRequest} />}
        />
      )}
      <HistoryDialogs
        documentId={documentId}
        title={title}
        role={role}
        status={documentStatus}
        members={members}
        request={historyRequest}
        onRequest={setHistoryRequest}
        onClose={() => setHistoryRequest(null)}
        onRestored={() => {
          setHistoryRequest(null)
          setHistoryRefresh((count) => count + 1)
        }}
      />
      {canEdit && editor && <LinkDialog editor={editor} open={linking} onClose={() => setLinking(false)} />}
    </div>
  )
})

/** Ctrl+Alt+M (the key, not the character: Alt changes it on some layouts). */
const isCommentShortcut = (event: KeyboardEvent) => event.ctrlKey && event.altKey && !event.metaKey && event.code === 'KeyM'
