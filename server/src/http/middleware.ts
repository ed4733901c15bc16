import { can, documentIdSchema, type DocumentAction } from '@accord/shared'
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express'
import type { z } from 'zod'
import { readCookie, SESSION_COOKIE } from '../auth/cookies.js'
import { isCrossSite } from '../auth/crossSite.js'
import { AppError, forbidden, notFound } from '../errors.js'
import type { MembershipRecord } from '../persistence/documents.js'
import type { UserRecord } from '../persistence/users.js'
import type { AppContext } from './context.js'

declare module 'express-serve-static-core' {
  interface Request {
    actor?: UserRecord
    sessionToken?: string
    membership?: MembershipRecord
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** A state-changing request from another site's page is refused (see isCrossSite). */
export function originGuard(allowedOrigin: string): RequestHandler {
  return (request, _response, next) => {
    if (STATE_CHANGING.has(request.method) && isCrossSite(request.headers, allowedOrigin)) {
      next(new AppError(403, 'bad_origin', 'Requests from that origin are not accepted.'))
      return
    }
    next()
  }
}

export function attachActor(context: AppContext): RequestHandler {
  return async (request, _response, next) => {
    const token = readCookie(request.headers.cookie, SESSION_COOKIE)
    const actor = await context.sessions.resolve(token)
    if (actor && token) {
      request.actor = actor
      request.sessionToken = token
    }
    next()
  }
}

export const requireActor: RequestHandler = (request, _response, next) => {
  next(request.actor ? undefined : new AppError(401, 'unauthenticated', 'Sign in to continue.'))
}

export const requireAdmin: RequestHandler = (request, _response, next) => {
  next(request.actor?.isAdmin ? undefined : forbidden('Only site admins can do this.'))
}

/** The signed-in person; only for routes behind `requireActor`. */
export function actorOf(request: Request): UserRecord {
  if (!request.actor) throw new AppError(401, 'unauthenticated', 'Sign in to continue.')
  return request.actor
}

/**
 * Loads the document named by `:documentId` as the actor's membership and checks `action`
 * before any body is looked at. Not a member and no such document answer the same 404.
 */
export function requireDocument(context: AppContext, action: DocumentAction): RequestHandler {
  return async (request, _response, next) => {
    const id = documentIdSchema.safeParse(request.params.documentId)
    if (!id.success) return next(notFound())
    const membership = await context.documents.membership(id.data, actorOf(request).id)
    if (!membership) return next(notFound())
    if (!can(membership.role, action, membership.status)) {
      const frozen = membership.status !== 'active' && can(membership.role, action)
      const reason =
        membership.status === 'archived'
          ? 'This document is archived; an owner must restore it first.'
          : 'This document is final and read-only; an owner must reopen it first.'
      return next(forbidden(frozen ? reason : undefined))
    }
    request.membership = membership
    next()
  }
}

export function membershipOf(request: Request): MembershipRecord {
  if (!request.membership) throw new Error('requireDocument must run before this handler')
  return request.membership
}

/** Validates a request body; a failure answers 400 with every problem in one sentence list. */
export function parseBody<T extends z.ZodType>(schema: T, request: Request): z.infer<T> {
  return parseInput(schema, request.body ?? {})
}

/** Validates a request's query string the same way. */
export function parseQuery<T extends z.ZodType>(schema: T, request: Request): z.infer<T> {
  return parseInput(schema, request.query)
}

function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) =>
    issue.path.length > 0 && issue.code !== 'custom' && issue.message.startsWith('Invalid')
      ? `${issue.path.join('.')}: ${issue.message}`
      : issue.message,
  )
  throw new AppError(400, 'invalid_request', problems.join(' '))
}

/**
 * Sent with every answer: API, pages, assets. Scripts and styles come only from our own files
 * (Vite's build needs no inline script; the editor colours carets with classes, see
 * client/src/editor/carets.ts), so injected markup can neither run nor restyle the page.
 * `blob:` images are the export dialog's downloads; exports served for the preview replace
 * this policy with their own (EXPORT_HTML_CSP), which allows framing by our pages only.
 */
export function contentSecurityPolicy(publicUrl: string): string {
  const socketOrigin = new URL(publicUrl).origin.replace(/^http/, 'ws')
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ${socketOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

export function securityHeaders(publicUrl: string): RequestHandler {
  const policy = contentSecurityPolicy(publicUrl)
  return (_request, response, next) => {
    response.setHeader('Content-Security-Policy', policy)
    response.setHeader('X-Content-Type-Options', 'nosniff')
    response.setHeader('Referrer-Policy', 'same-origin')
    response.setHeader('X-Frame-Options', 'DENY')
    response.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
    next()
  }
}

export const apiNotFound: RequestHandler = (_request, _response, next) => {
  next(new AppError(404, 'no_such_endpoint', 'There is no such API endpoint.'))
}

export function errorHandler(context: AppContext): ErrorRequestHandler {
  return (error: unknown, request: Request, response: Response, _next: NextFunction) => {
    const known = toAppError(error)
    if (!known) {
      context.log.error('request failed', { method: request.method, path: request.path, error })
    }
    const { status, code, message } = known ?? new AppError(500, 'internal', 'Something went wrong on the server.')
    response.status(status).json({ error: code, message })
  }
}

/** Express's body parser reports its own errors with a `type`; give them our shape. */
function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error
  // The router could not percent-decode a path parameter, e.g. /api/documents/%zz.
  if (error instanceof URIError) return new AppError(400, 'invalid_path', 'The request path is not valid.')
  const type = (error as { type?: unknown } | null)?.type
  if (type === 'entity.parse.failed') return new AppError(400, 'invalid_json', 'The request body is not valid JSON.')
  if (type === 'entity.too.large') return new AppError(413, 'too_large', 'The request body is too large.')
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return new AppError(415, 'unsupported_encoding', 'Send the request body as UTF-8 JSON.')
  }
  return null
}
