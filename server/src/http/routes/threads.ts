import {
  can,
  createThreadRequest,
  editCommentRequest,
  mentionedUsernames,
  replyRequest,
  threadIdSchema,
  threadStatusRequest,
} from '@accord/shared'
import { Router, type Request } from 'express'
import { AppError, forbidden, notFound } from '../../errors.js'
import type { ThreadChange } from '../../persistence/threads.js'
import type { AppContext } from '../context.js'
import { actorOf, membershipOf, parseBody, requireDocument } from '../middleware.js'

/**
 * Comment threads on a document, its event stream, and each person's Inbox. The author of
 * anything is the session's person; a thread or comment is looked up only within the document
 * in the path, so another document's id never reaches it.
 */
export function threadRoutes(context: AppContext): Router {
  const router = Router()
  const { threads, documents, threadStreams } = context

  const threadOf = async (request: Request) => {
    const id = threadIdSchema.safeParse(request.params.threadId)
    const thread = id.success ? await threads.ownership(membershipOf(request).id, id.data) : null
    if (!thread) throw notFound('thread')
    return thread
  }

  /** The caller's own, not yet deleted, comment in the thread: checked before any body is read. */
  const ownCommentOf = async (request: Request, threadId: string) => {
    const id = threadIdSchema.safeParse(request.params.commentId)
    const comment = id.success ? await threads.commentOwnership(threadId, id.data) : null
    if (!comment) throw notFound('comment')
    if (comment.authorId !== actorOf(request).id) throw forbidden('You can only change your own comments.')
    if (comment.deleted) throw new AppError(409, 'comment_deleted', 'That comment was deleted; it can no longer be changed.')
    return comment
  }

  /** Members named with @username; a name that is not a member is left as plain text. */
  const mentionedMembers = async (documentId: string, body: string) => {
    const named = new Set(mentionedUsernames(body))
    return (await documents.members(documentId))
      .filter((member) => named.has(member.username))
      .map((member) => member.userId)
  }

  const published = (documentId: string, change: ThreadChange) => {
    threadStreams.publish(documentId, change)
    return change.thread
  }

  router.get('/documents/:documentId/threads', requireDocument(context, 'read'), async (request, response) => {
    response.json(await threads.list(membershipOf(request).id))
  })

  router.post('/documents/:documentId/threads', requireDocument(context, 'comment'), async (request, response) => {
    const documentId = membershipOf(request).id
    const input = parseBody(createThreadRequest, request)
    const change = await threads.create(documentId, actorOf(request).id, input, await mentionedMembers(documentId, input.body))
    response.status(201).json(published(documentId, change))
  })

  router.get('/documents/:documentId/threads/:threadId', requireDocument(context, 'read'), async (request, response) => {
    response.json(await threads.thread(membershipOf(request).id, (await threadOf(request)).id))
  })

  router.patch('/documents/:documentId/threads/:threadId', requireDocument(context, 'comment'), async (request, response) => {
    const membership = membershipOf(request)
    const actor = actorOf(request)
    const thread = await threadOf(request)
    if (thread.authorId !== actor.id && !can(membership.role, 'edit')) {
      throw forbidden('Only the person who started this thread, drafters and owners can resolve or reopen it.')
    }
    const { status } = parseBody(threadStatusRequest, request)
    response.json(published(membership.id, await threads.setStatus(membership.id, thread.id, status, actor.id)))
  })

  router.post(
    '/documents/:documentId/threads/:threadId/comments',
    requireDocument(context, 'comment'),
    async (request, response) => {
      const documentId = membershipOf(request).id
      const thread = await threadOf(request)
      const { body } = parseBody(replyRequest, request)
      const change = await threads.reply(documentId, thread, actorOf(request).id, body, await mentionedMembers(documentId, body))
      response.status(201).json(published(documentId, change))
    },
  )

  router.patch(
    '/documents/:documentId/threads/:threadId/comments/:commentId',
    requireDocument(context, 'comment'),
    async (request, response) => {
      const documentId = membershipOf(request).id
      const thread = await threadOf(request)
      const comment = await ownCommentOf(request, thread.id)
      const { body } = parseBody(editCommentRequest, request)
      const change = await threads.edit(documentId, thread.id, comment, body, await mentionedMembers(documentId, body))
      response.json(published(documentId, change))
    },
  )

  router.delete(
    '/documents/:documentId/threads/:threadId/comments/:commentId',
    requireDocument(context, 'comment'),
    async (request, response) => {
      const documentId = membershipOf(request).id
      const thread = await threadOf(request)
      const comment = await ownCommentOf(request, thread.id)
      response.json(published(documentId, await threads.delete(documentId, thread.id, comment)))
    },
  )

  router.get('/documents/:documentId/events', requireDocument(context, 'read'), async (request, response) => {
    const header = request.get('last-event-id')
    const lastEventId = header !== undefined && /^\d{1,15}$/.test(header) ? Number(header) : null
    threadStreams.open(
      { documentId: membershipOf(request).id, userId: actorOf(request).id, sessionToken: request.sessionToken!, response },
      lastEventId,
    )
  })

  router.get('/inbox', async (request, response) => {
    response.json(await threads.inbox(actorOf(request).id))
  })

  router.post('/inbox/:itemId/read', async (request, response) => {
    const itemId = Number(request.params.itemId)
    if (!Number.isSafeInteger(itemId) || !await threads.markRead(actorOf(request).id, itemId)) throw notFound('Inbox item')
    response.status(204).end()
  })

  return router
}
