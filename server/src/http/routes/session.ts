import { loginRequest, setupRequest } from '@accord/shared'
import { Router, json, type Response } from 'express'
import { SESSION_COOKIE } from '../../auth/cookies.js'
import { DECOY_HASH, verifyPassword } from '../../auth/passwords.js'
import { SESSION_LIFETIME_MS } from '../../auth/sessions.js'
import { AppError } from '../../errors.js'
import type { AppContext } from '../context.js'
import { parseBody } from '../middleware.js'
import { presentUser } from '../presenters.js'
import { clientAddress } from '../clientAddress.js'

/** Signing in and out, and creating the first admin. These routes work without a session. */
export function sessionRoutes(context: AppContext): Router {
  const router = Router()
  // Only these two routes read a body without a session; a router-wide parser would read every /api body.
  const readBody = json({ limit: '16kb' })

  const startSession = async (response: Response, userId: number) => {
    response.cookie(SESSION_COOKIE, await context.sessions.start(userId), {
      httpOnly: true,
      sameSite: 'lax',
      secure: context.config.secureCookies,
      path: '/',
      maxAge: SESSION_LIFETIME_MS,
    })
  }

  router.get('/session', async (request, response) => {
    if (!request.actor) throw new AppError(401, 'unauthenticated', 'Sign in to continue.')
    response.json({ user: presentUser(request.actor) })
  })

  router.post('/session', readBody, async (request, response) => {
    const { username, password } = parseBody(loginRequest, request)
    const { perAccount, perAddress } = context.loginLimits
    const address = clientAddress(request, context.config.trustedProxies)
    const wait = Math.max(perAccount.retryAfter(username), perAddress.retryAfter(address))
    if (wait > 0) {
      response.setHeader('Retry-After', Math.ceil(wait / 1000))
      throw new AppError(429, 'too_many_attempts', `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60_000)} minutes.`)
    }
    // Counted before the slow password check, so guesses sent in parallel cannot all slip under the limit.
    perAccount.recordFailure(username)
    perAddress.recordFailure(address)
    const user = await context.users.byUsername(username)
    const valid = await verifyPassword(password, user?.passwordHash ?? DECOY_HASH)
    if (!user || !valid || !user.active) {
      throw new AppError(401, 'invalid_credentials', 'That username and password do not match an active account.')
    }
    perAccount.reset(username)
    perAddress.forgive(address)
    await startSession(response, user.id)
    response.json({ user: presentUser(user) })
  })

  router.delete('/session', async (request, response) => {
    if (request.sessionToken) await context.sessions.end(request.sessionToken)
    response.clearCookie(SESSION_COOKIE, { path: '/' })
    response.status(204).end()
  })

  router.get('/setup', async (_request, response) => {
    response.json({ needed: context.setupToken.pending && await context.users.count() === 0 })
  })

  router.post('/setup', readBody, async (request, response) => {
    const token: unknown = request.body?.token
    if (typeof token !== 'string' || !context.setupToken.matches(token) || await context.users.count() > 0) {
      throw new AppError(403, 'invalid_setup_link', 'This setup link is not valid, or setup is already done.')
    }
    const body = parseBody(setupRequest, request)
    // Used up before the slow password hash, so two requests racing with one link cannot both create an admin.
    context.setupToken.consume()
    const admin = await context.accounts.create({ ...body, isAdmin: true })
    context.log.info('first admin created', { username: admin.username })
    await startSession(response, admin.id)
    response.status(201).json({ user: presentUser(admin) })
  })

  return router
}
