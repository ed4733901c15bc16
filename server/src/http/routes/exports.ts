import { EXPORT_FORMATS, exportQuery, type ExportFormat, type FinalSummary } from '@accord/shared'
import { Router, type Response } from 'express'
import { AppError } from '../../errors.js'
import { EXPORT_HTML_CSP } from '../../export/html.js'
import { isoDate } from '../../export/stamp.js'
import { exportThreadsOf } from '../../export/threads.js'
import type { FinalRecord } from '../../persistence/finals.js'
import type { AppContext } from '../context.js'
import { actorOf, membershipOf, parseQuery, requireDocument } from '../middleware.js'
import { presentDocument } from '../presenters.js'
import { attachmentHeader } from './filename.js'

const CONTENT_TYPES: Record<ExportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
}

/** Exports of a document, and freezing it as a Final (and reopening it). */
export function exportRoutes(context: AppContext): Router {
  const router = Router()
  const { documents, finals, rooms, exports } = context

  router.get('/documents/:documentId/export', requireDocument(context, 'export'), async (request, response) => {
    const membership = membershipOf(request)
    const query = parseQuery(exportQuery, request)
    const inline = query.disposition === 'inline'
    if (membership.status === 'final') {
      const final = await finals.current(membership.id)
      if (!final) throw new AppError(409, 'finalizing', 'This document is being finalized; try again in a moment.')
      sendExport(response, query.format, await finals.file(final.id, query.format), { title: final.title, versionLabel: final.versionLabel, fingerprint: final.fingerprint, inline })
      return
    }
    const now = Date.now()
    const versionLabel = `Draft ${isoDate(now)}`
    const result = await exports.run({
      title: membership.title,
      updates: await rooms.stateUpdates(membership.id),
      formats: [query.format],
      stamp: { versionLabel, date: isoDate(now), final: false },
      threads: query.comments === '1' ? exportThreadsOf(await context.threads.list(membership.id)) : null,
    })
    // The preview (inline) is looking, not exporting; a download is news for the activity feed.
    if (!inline) await context.history.activity.record(membership.id, actorOf(request).id, 'exported', query.format.toUpperCase())
    sendExport(response, query.format, result.files[query.format]!, { title: membership.title, versionLabel, fingerprint: result.fingerprint, inline, draft: true })
  })

  router.get('/documents/:documentId/finals', requireDocument(context, 'read'), async (request, response) => {
    response.json((await finals.history(membershipOf(request).id)).map(presentFinal))
  })

  router.post('/documents/:documentId/finalize', requireDocument(context, 'finalize'), async (request, response) => {
    const membership = membershipOf(request)
    const actor = actorOf(request)
    // Frozen first, so no write can land between the state we export and the Final.
    await documents.update(membership.id, { status: 'final' })
    await rooms.recheckAccess({ documentId: membership.id })
    const thaw = async () => {
      await documents.update(membership.id, { status: membership.status })
      await rooms.recheckAccess({ documentId: membership.id })
    }
    const now = Date.now()
    const versionLabel = `Final ${await finals.count(membership.id) + 1}`
    let result
    try {
      const job = {
        title: membership.title,
        updates: await rooms.stateUpdates(membership.id),
        formats: [...EXPORT_FORMATS],
        stamp: { versionLabel, date: isoDate(now), final: true },
        threads: null,
      }
      result = await exports.run(job, 'finalize')
    } catch (error) {
      await thaw()
      throw error
    }
    if (result.unsetVariables.length > 0) {
      await thaw()
      const labels = result.unsetVariables.map((variable) => variable.label).join(', ')
      throw new AppError(409, 'unset_variables', `Set every variable before finalizing. Not set: ${labels}.`)
    }
    const final = await finals.create({
      documentId: membership.id,
      versionLabel,
      title: membership.title,
      state: result.state,
      fingerprint: result.fingerprint,
      files: result.files as Record<ExportFormat, Uint8Array>,
      createdBy: actor.id,
      createdAt: now,
    })
    await context.history.activity.record(membership.id, actor.id, 'finalized', versionLabel)
    context.log.info('document finalized', { documentId: membership.id, by: actor.username, versionLabel, fingerprint: final.fingerprint })
    response.status(201).json(presentFinal(final))
  })

  router.post('/documents/:documentId/reopen', requireDocument(context, 'reopen'), async (request, response) => {
    const membership = membershipOf(request)
    const actor = actorOf(request)
    const final = await finals.current(membership.id)
    if (final) await finals.markReopened(final.id, actor.id, Date.now())
    await documents.update(membership.id, { status: 'active' })
    await rooms.recheckAccess({ documentId: membership.id })
    await context.history.activity.record(membership.id, actor.id, 'reopened', final?.versionLabel ?? '')
    context.log.info('document reopened', { documentId: membership.id, by: actor.username, versionLabel: final?.versionLabel })
    response.json(presentDocument((await documents.membership(membership.id, actor.id))!, rooms.people(membership.id)))
  })

  return router
}

export function sendExport(
  response: Response,
  format: ExportFormat,
  bytes: Uint8Array,
  file: { title: string; versionLabel: string; fingerprint: string; inline: boolean; draft?: boolean },
): void {
  response.setHeader('Content-Type', CONTENT_TYPES[format])
  response.setHeader('Content-Disposition', attachmentHeader(file.inline ? 'inline' : 'attachment', `${file.title} - ${file.versionLabel}`, format))
  response.setHeader('X-Export-Fingerprint', file.fingerprint)
  response.setHeader('Cache-Control', file.draft ? 'no-store' : 'private, no-cache')
  if (format === 'html') {
    // The preview frames it; its own policy allows no script and no request.
    response.setHeader('Content-Security-Policy', EXPORT_HTML_CSP)
    response.setHeader('X-Frame-Options', 'SAMEORIGIN')
  }
  response.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
}

const presentFinal = (final: FinalRecord): FinalSummary => ({
  versionLabel: final.versionLabel,
  fingerprint: final.fingerprint,
  finalizedBy: final.createdBy,
  finalizedAt: new Date(final.createdAt).toISOString(),
  reopenedBy: final.reopenedBy,
  reopenedAt: final.reopenedAt === null ? null : new Date(final.reopenedAt).toISOString(),
})
