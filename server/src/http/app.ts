import fs from 'node:fs'
import path from 'node:path'
import express, { json } from 'express'
import type { AppContext } from './context.js'
import { apiNotFound, attachActor, errorHandler, originGuard, requireActor, securityHeaders } from './middleware.js'
import { documentRoutes } from './routes/documents.js'
import { exportRoutes } from './routes/exports.js'
import { historyRoutes } from './routes/history.js'
import { sessionRoutes } from './routes/session.js'
import { templateRoutes } from './routes/templates.js'
import { threadRoutes } from './routes/threads.js'
import { userRoutes } from './routes/users.js'

export function createApp(context: AppContext): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.use(securityHeaders(context.config.publicUrl))

  app.get('/api/health', (_request, response) => {
    response.json({ ok: true })
  })
  app.use('/api', originGuard(context.config.publicOrigin), attachActor(context))
  app.use('/api', sessionRoutes(context))
  // Everything below needs a session, checked before any body is read.
  app.use('/api', requireActor, json({ limit: '64kb' }))
  app.use('/api', userRoutes(context))
  app.use('/api', documentRoutes(context))
  app.use('/api', exportRoutes(context))
  app.use('/api', templateRoutes(context))
  app.use('/api', threadRoutes(context))
  app.use('/api', historyRoutes(context))
  app.use('/api', apiNotFound)

  const clientDir = context.config.clientDir
  if (clientDir && fs.existsSync(path.join(clientDir, 'index.html'))) {
    app.use('/assets', express.static(path.join(clientDir, 'assets'), { immutable: true, maxAge: '1y' }))
    app.use(express.static(clientDir, { index: false, maxAge: '1h' }))
    // Client-side routes (/documents/..., /setup) all load the same page.
    app.get('/{*splat}', (_request, response) => {
      response.setHeader('Cache-Control', 'no-cache')
      response.sendFile(path.join(clientDir, 'index.html'))
    })
  }

  app.use(errorHandler(context))
  return app
}
