import { createUserRequest, resetPasswordRequest, updateUserRequest, usernameSchema } from '@accord/shared'
import { Router, type Request } from 'express'
import { AppError } from '../../errors.js'
import type { AppContext } from '../context.js'
import { actorOf, parseBody, requireAdmin } from '../middleware.js'
import { presentPerson, presentUser } from '../presenters.js'

function usernameParam(request: Request): string {
  const result = usernameSchema.safeParse(request.params.username)
  if (!result.success) throw new AppError(404, 'user_not_found', 'There is no such account.')
  return result.data
}

/** Account administration (site admins) and the directory of people one can add to a document. */
export function userRoutes(context: AppContext): Router {
  const router = Router()

  router.get('/people', async (_request, response) => {
    response.json((await context.users.list()).filter((user) => user.active).map(presentPerson))
  })

  router.get('/users', requireAdmin, async (_request, response) => {
    response.json((await context.users.list()).map(presentUser))
  })

  router.post('/users', requireAdmin, async (request, response) => {
    const body = parseBody(createUserRequest, request)
    const user = await context.accounts.create(body)
    context.log.info('account created', { username: user.username, by: actorOf(request).username })
    response.status(201).json(presentUser(user))
  })

  router.patch('/users/:username', requireAdmin, async (request, response) => {
    const username = usernameParam(request)
    const body = parseBody(updateUserRequest, request)
    const user = await context.accounts.update(username, body)
    await context.rooms.recheckAccess({ userId: user.id })
    context.threadStreams.recheckAccess({ userId: user.id })
    response.json(presentUser(user))
  })

  router.post('/users/:username/password', requireAdmin, async (request, response) => {
    const username = usernameParam(request)
    const { password } = parseBody(resetPasswordRequest, request)
    const user = await context.accounts.resetPassword(username, password)
    await context.rooms.recheckAccess({ userId: user.id })
    context.threadStreams.recheckAccess({ userId: user.id })
    response.status(204).end()
  })

  return router
}
