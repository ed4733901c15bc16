import { templateRequest, variablesIn, type Template, type TemplateVersion } from '@accord/shared'
import { Router, type Request } from 'express'
import { z } from 'zod'
import { AppError } from '../../errors.js'
import type { TemplateRecord } from '../../persistence/templates.js'
import type { AppContext } from '../context.js'
import { actorOf, parseBody, requireAdmin } from '../middleware.js'

const notFound = () => new AppError(404, 'template_not_found', 'There is no such template.')

export const presentTemplate = (template: TemplateRecord): Template => ({
  id: template.id,
  key: template.key,
  category: template.category,
  summary: template.summary,
  version: template.version,
  variables: variablesIn(template.source),
  retired: template.retired,
  updatedAt: new Date(template.updatedAt).toISOString(),
  ...template.source,
})

/** The clause library: everyone signed in reads it; site admins write it. */
export function templateRoutes(context: AppContext): Router {
  const router = Router()
  const { templates } = context

  const templateOf = async (request: Request): Promise<TemplateRecord> => {
    const id = z.uuid().safeParse(request.params.templateId)
    const template = id.success ? await templates.byId(id.data) : null
    if (!template) throw notFound()
    return template
  }

  router.get('/templates', async (request, response) => {
    const includeRetired = request.query.includeRetired === 'true' && actorOf(request).isAdmin
    response.json((await templates.list({ includeRetired })).map(presentTemplate))
  })

  router.get('/templates/:templateId', async (request, response) => {
    response.json(presentTemplate((await templateOf(request))))
  })

  router.get('/templates/:templateId/versions', async (request, response) => {
    const versions: TemplateVersion[] = (await templates.versions((await templateOf(request)).id)).map((version) => ({ version: version.version, createdAt: new Date(version.createdAt).toISOString(), ...version.source }))
    response.json(versions)
  })

  router.post('/templates', requireAdmin, async (request, response) => {
    const { category, summary, ...source } = parseBody(templateRequest, request)
    const created = await templates.create({ category, summary, source }, actorOf(request).id)
    response.status(201).json(presentTemplate(created))
  })

  router.put('/templates/:templateId', requireAdmin, async (request, response) => {
    const template = (await templateOf(request))
    const { category, summary, ...source } = parseBody(templateRequest, request)
    response.json(presentTemplate((await templates.update(template.id, { category, summary, source }, actorOf(request).id))!))
  })

  // Retiring hides a template from the library; documents that used it keep their text.
  router.delete('/templates/:templateId', requireAdmin, async (request, response) => {
    await templates.setRetired((await templateOf(request)).id, true)
    response.status(204).end()
  })

  router.post('/templates/:templateId/restore', requireAdmin, async (request, response) => {
    const template = (await templateOf(request))
    await templates.setRetired(template.id, false)
    response.json(presentTemplate((await templates.byId(template.id))!))
  })

  return router
}
