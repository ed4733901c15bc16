import { createDocumentRequest, setMemberRequest, updateDocumentRequest, usernameSchema } from '@accord/shared'
import { DOCUMENT_FIELD, documentSchema } from '@accord/shared/schema'
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap'
import { Router } from 'express'
import { modelMou } from '../../templates/library.js'
import { AppError } from '../../errors.js'
import type { AppContext } from '../context.js'
import { actorOf, membershipOf, parseBody, requireAdmin, requireDocument } from '../middleware.js'
import { presentDocument, presentMember } from '../presenters.js'

/** Documents and their members. Every route under `:documentId` checks membership first. */
export function documentRoutes(context: AppContext): Router {
  const router = Router()
  const { documents, rooms, users, threadStreams } = context

  router.get('/documents', async (request, response) => {
    const mine = await documents.listFor(actorOf(request).id)
    response.json(mine.map((document) => presentDocument(document, rooms.people(document.id))))
  })

  router.post('/documents', requireAdmin, async (request, response) => {
    const { title, startFrom } = parseBody(createDocumentRequest, request)
    const actor = actorOf(request)
    const created = await documents.create(title, actor.id)
    if (startFrom === 'model') {
      const content = await modelMou(context.templates)
      await rooms.applyServerEdit(created.id, actor.id, (doc) =>
        prosemirrorJSONToYXmlFragment(documentSchema, content, doc.getXmlFragment(DOCUMENT_FIELD)),
      )
    }
    context.log.info('document created', { documentId: created.id, by: actor.username })
    response.status(201).json(presentDocument((await documents.membership(created.id, actor.id))!, []))
  })

  router.get('/documents/:documentId', requireDocument(context, 'read'), async (request, response) => {
    const membership = membershipOf(request)
    response.json(presentDocument(membership, rooms.people(membership.id)))
  })

  router.patch('/documents/:documentId', requireDocument(context, 'manageDocument'), async (request, response) => {
    const membership = membershipOf(request)
    const changes = parseBody(updateDocumentRequest, request)
    await documents.update(membership.id, changes)
    if (changes.status && changes.status !== membership.status) await rooms.recheckAccess({ documentId: membership.id })
    const updated = (await documents.membership(membership.id, actorOf(request).id))!
    response.json(presentDocument(updated, rooms.people(membership.id)))
  })

  router.get('/documents/:documentId/members', requireDocument(context, 'read'), async (request, response) => {
    response.json((await documents.members(membershipOf(request).id)).map(presentMember))
  })

  router.put(
    '/documents/:documentId/members/:username',
    requireDocument(context, 'manageMembers'),
    async (request, response) => {
      const documentId = membershipOf(request).id
      const { role } = parseBody(setMemberRequest, request)
      const user = await users.byUsername(usernameSchema.catch('').parse(request.params.username))
      if (!user || !user.active) throw new AppError(404, 'user_not_found', 'There is no active account with that username.')
      const current = (await documents.members(documentId)).find((member) => member.userId === user.id)
      if (current?.role === 'owner' && role !== 'owner' && await documents.countOwners(documentId) <= 1) {
        throw new AppError(409, 'last_owner', 'A document needs at least one owner; make someone else an owner first.')
      }
      await documents.setMember(documentId, user.id, role)
      await rooms.recheckAccess({ documentId, userId: user.id })
      threadStreams.recheckAccess({ documentId, userId: user.id })
      const member = (await documents.members(documentId)).find((candidate) => candidate.userId === user.id)!
      response.status(current ? 200 : 201).json(presentMember(member))
    },
  )

  router.delete(
    '/documents/:documentId/members/:username',
    requireDocument(context, 'manageMembers'),
    async (request, response) => {
      const documentId = membershipOf(request).id
      const user = await users.byUsername(usernameSchema.catch('').parse(request.params.username))
      const current = user && (await documents.members(documentId)).find((member) => member.userId === user.id)
      if (!user || !current) throw new AppError(404, 'member_not_found', 'That person is not a member of this document.')
      if (current.role === 'owner' && await documents.countOwners(documentId) <= 1) {
        throw new AppError(409, 'last_owner', 'A document needs at least one owner; make someone else an owner first.')
      }
      await documents.removeMember(documentId, user.id)
      await rooms.recheckAccess({ documentId, userId: user.id })
      threadStreams.recheckAccess({ documentId, userId: user.id })
      response.status(204).end()
    },
  )

  return router
}
