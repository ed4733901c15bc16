import type { Affiliation, DocumentStatus, Role } from '../protocol/roles.js'
import type { ClauseSource, TemplateCategory } from '../templates/source.js'

/** Error bodies: `error` is a stable code for programs, `message` a sentence for people. */
export interface ApiError {
  error: string
  message: string
}

export interface Person {
  username: string
  displayName: string
  affiliation: Affiliation
}

export interface User extends Person {
  isAdmin: boolean
  active: boolean
}

export interface SessionInfo {
  user: User
}

export interface SetupStatus {
  needed: boolean
}

export interface DocumentSummary {
  id: string
  title: string
  status: DocumentStatus
  role: Role
  createdAt: string
  updatedAt: string
  online: Person[]
}

export interface Member extends Person {
  role: Role
}

/** Sent by the server on the collaboration socket when it admits a connection. */
export interface CollabSession {
  role: Role
  canEdit: boolean
}

export interface Template extends ClauseSource {
  id: string
  /** Set for the starter library's templates. */
  key: string | null
  category: TemplateCategory
  summary: string
  version: number
  /** The variable keys the template uses. */
  variables: string[]
  retired: boolean
  updatedAt: string
}

export interface TemplateVersion extends ClauseSource {
  version: number
  createdAt: string
}

/** One time a document was finalized (GET /api/documents/:id/finals). */
export interface FinalSummary {
  versionLabel: string
  fingerprint: string
  finalizedBy: Person
  finalizedAt: string
  reopenedBy: Person | null
  reopenedAt: string | null
}

export type ThreadStatus = 'open' | 'resolved'

export interface CommentAnchor {
  /** Base64 of `Y.encodeRelativePosition` at the start and end of the commented range. */
  start: string
  end: string
  clauseId: string | null
}

export interface ThreadComment {
  id: string
  author: Person
  /** null once its author deleted it: the tombstone keeps its place and time in the record. */
  body: string | null
  createdAt: string
  editedAt: string | null
  deletedAt: string | null
}

export interface CommentThread {
  id: string
  quote: string
  anchor: CommentAnchor
  status: ThreadStatus
  author: Person
  resolvedBy: Person | null
  resolvedAt: string | null
  createdAt: string
  updatedAt: string
  comments: ThreadComment[]
}

/** One message on a document's event stream (`GET /api/documents/<id>/events`). */
export interface ThreadEvent {
  type: 'thread'
  thread: CommentThread
}

export interface InboxItem {
  id: number
  kind: 'mention' | 'reply'
  read: boolean
  createdAt: string
  document: { id: string; title: string }
  threadId: string
  quote: string
  commentId: string
  from: Person
  /** The comment's text (null when it was deleted since). */
  excerpt: string | null
}
