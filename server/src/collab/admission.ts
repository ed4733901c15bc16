import { can, CloseCode, documentIdSchema } from '@accord/shared'
import type { Sessions } from '../auth/sessions.js'
import type { DocumentStore } from '../persistence/documents.js'
import type { Admission } from './connection.js'

export type AdmissionResult =
  | { ok: true; documentId: string; admission: Admission }
  | { ok: false; code: number; reason: string }

export type Admit = (sessionToken: string | null, documentId: string) => Promise<AdmissionResult>

/**
 * Decides whether a session may open a document's socket, and with what rights. Used when a
 * socket connects and again whenever access may have changed, so both paths agree.
 */
export function createAdmit(sessions: Sessions, documents: DocumentStore): Admit {
  return async (sessionToken, rawDocumentId) => {
    const user = await sessions.resolve(sessionToken)
    if (!user || !sessionToken) return { ok: false, code: CloseCode.Unauthorized, reason: 'Sign in first' }
    const documentId = documentIdSchema.safeParse(rawDocumentId)
    if (!documentId.success) return { ok: false, code: CloseCode.BadRequest, reason: 'Not a document id' }
    // A document that does not exist and one you are not a member of look the same.
    const membership = await documents.membership(documentId.data, user.id)
    if (!membership) return { ok: false, code: CloseCode.NotFound, reason: 'Document not found' }
    return {
      ok: true,
      documentId: documentId.data,
      admission: {
        user,
        sessionToken,
        role: membership.role,
        canEdit: can(membership.role, 'edit', membership.status),
      },
    }
  }
}
