import { Router } from 'express'

export interface Readiness {
  ready: boolean
  /** Each dependency and whether it answers. */
  checks: Record<string, boolean>
}

/**
 * `GET /healthz`: the process is alive (restart it if not). `GET /readyz`: it can serve (its
 * database answers, Redis too when configured, and it is not shutting down): send it traffic.
 * Neither needs a session: a load balancer or orchestrator asks them.
 */
export function healthRoutes(readiness: () => Promise<Readiness>): Router {
  const router = Router()
  router.get('/healthz', (_request, response) => {
    response.setHeader('Cache-Control', 'no-store')
    response.json({ ok: true })
  })
  router.get('/readyz', async (_request, response) => {
    const report = await readiness()
    response.setHeader('Cache-Control', 'no-store')
    response.status(report.ready ? 200 : 503).json(report)
  })
  return router
}
