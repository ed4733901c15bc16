import {
  can,
  createVersionRequest,
  exportQuery,
  redlineQuery,
  versionIdSchema,
  type ActivityItem,
  type ExportFormat,
  type RedlineSummary,
  type RestoreResult,
  type VersionSummary,
} from '@accord/shared'
import { Router, type Request } from 'express'
import { forbidden, notFound } from '../../errors.js'
import { isoDate } from '../../export/stamp.js'
import type { RedlineSide } from '../../history/history.js'
import { restoreInto } from '../../history/restore.js'
import type { ActivityRecord } from '../../persistence/activity.js'
import type { MembershipRecord } from '../../persistence/documents.js'
import type { VersionRecord } from '../../persistence/versions.js'
import type { AppContext } from '../context.js'
import { actorOf, membershipOf, parseBody, parseQuery, requireDocument } from '../middleware.js'
import { sendExport } from './exports.js'

const ACTIVITY_LIMIT = 200

/** Versions, redlines, restores and the activity feed of a document (see docs/API.md). */
export function historyRoutes(context: AppContext): Router {
  const router = Router()
  const { history, rooms, exports } = context

  const versionOf = async (request: Request, raw: unknown): Promise<VersionRecord> => {
    const id = versionIdSchema.safeParse(raw)
    const version = id.success ? await history.versions.byId(membershipOf(request).id, id.data) : null
    if (!version) throw notFound('version')
    return version
  }

  /** Downloads other than the in-app view are exports, and need the export right. */
  const requireExport = (membership: MembershipRecord, format: string) => {
    if (format !== 'html' && format !== 'json' && !can(membership.role, 'export', membership.status)) {
      throw forbidden('Your role may view the history here but not download it; ask a drafter, clerk or owner.')
    }
  }

  router.get('/documents/:documentId/versions', requireDocument(context, 'viewHistory'), async (request, response) => {
    response.json((await history.versions.list(membershipOf(request).id)).map(presentVersion))
  })

  router.post('/documents/:documentId/versions', requireDocument(context, 'saveVersion'), async (request, response) => {
    const membership = membershipOf(request)
    const actor = actorOf(request)
    const { name } = parseBody(createVersionRequest, request)
    const version = await rooms.currentState(membership.id, (state, markCheckpointed) =>
      history.save(membership.id, state, { name, kind: 'named', userId: actor.id }, markCheckpointed()),
    )
    context.log.info('version saved', { documentId: membership.id, by: actor.username, versionId: version.id })
    response.status(201).json(presentVersion(version))
  })

  router.get('/documents/:documentId/versions/:versionId', requireDocument(context, 'viewHistory'), async (request, response) => {
    response.json(presentVersion(await versionOf(request, request.params.versionId)))
  })

  /** A version as it was, numbers and variables included, in any export format (HTML is the in-app view). */
  router.get('/documents/:documentId/versions/:versionId/export', requireDocument(context, 'viewHistory'), async (request, response) => {
    const membership = membershipOf(request)
    const version = await versionOf(request, request.params.versionId)
    const query = parseQuery(exportQuery, request)
    requireExport(membership, query.format)
    const versionLabel = version.name
    const result = await exports.run({
      title: membership.title,
      updates: [await history.versions.state(version.id)],
      formats: [query.format],
      stamp: { versionLabel, date: isoDate(version.createdAt), final: false },
      threads: null,
    })
    sendExport(response, query.format, result.files[query.format]!, {
      title: membership.title,
      versionLabel,
      fingerprint: result.fingerprint,
      inline: query.disposition === 'inline',
      draft: true,
    })
  })

  router.post('/documents/:documentId/versions/:versionId/restore', requireDocument(context, 'restoreVersion'), async (request, response) => {
    const membership = membershipOf(request)
    const actor = actorOf(request)
    const version = await versionOf(request, request.params.versionId)
    const state = await history.versions.state(version.id)
    // The text as it is now becomes a version first: restoring that one undoes this restore.
    const before = await rooms.currentState(membership.id, (current, markCheckpointed) =>
      history.save(membership.id, current, { name: `Before restoring “${version.name}”`, kind: 'automatic', userId: actor.id }, markCheckpointed()),
    )
    await rooms.applyServerEdit(membership.id, actor.id, (doc) => restoreInto(doc, state))
    await history.activity.record(membership.id, actor.id, 'restored', version.name)
    context.log.info('version restored', { documentId: membership.id, by: actor.username, versionId: version.id })
    response.json({ before: presentVersion(before), restored: presentVersion(version) } satisfies RestoreResult)
  })

  router.get('/documents/:documentId/redline', requireDocument(context, 'viewHistory'), async (request, response) => {
    const membership = membershipOf(request)
    const query = parseQuery(redlineQuery, request)
    requireExport(membership, query.format)
    const side = async (ref: string): Promise<RedlineSide> => {
      if (ref === 'current') return { name: 'Current text', state: await rooms.currentState(membership.id, (state) => state.update) }
      const version = await versionOf(request, ref)
      return { name: version.name, state: await history.versions.state(version.id) }
    }
    const sides = { from: await side(query.from), to: await side(query.to) }
    const filter = { username: query.person, affiliation: query.affiliation }
    if (query.format === 'json') {
      const { redline } = await history.redline(membership.id, membership.title, sides, [], filter)
      const changes = (redline?.changes ?? []).map(({ text, change, clause }) => ({ ...change, text, clause }))
      const moves = (redline?.moves ?? []).map(({ number, move }) => {
        const { kind: _kind, ...by } = move.change
        return { ...by, clause: number, from: move.from }
      })
      response.json({ from: sides.from.name, to: sides.to.name, changes, moves } satisfies RedlineSummary)
      return
    }
    const format: ExportFormat = query.format
    const result = await history.redline(membership.id, membership.title, sides, [format], filter)
    sendExport(response, format, result.files[format]!, {
      title: `${membership.title} - redline`,
      versionLabel: `Redline ${isoDate(Date.now())}`,
      fingerprint: result.fingerprint,
      inline: query.disposition === 'inline',
      draft: true,
    })
  })

  router.get('/documents/:documentId/activity', requireDocument(context, 'viewHistory'), async (request, response) => {
    response.json((await history.activity.list(membershipOf(request).id, ACTIVITY_LIMIT)).map(presentActivity))
  })

  return router
}

const presentVersion = (version: VersionRecord): VersionSummary => ({
  id: version.id,
  name: version.name,
  kind: version.kind,
  createdBy: version.createdBy,
  createdAt: new Date(version.createdAt).toISOString(),
})

const presentActivity = (item: ActivityRecord): ActivityItem => ({
  kind: item.kind,
  person: item.person,
  detail: item.detail,
  at: new Date(item.at).toISOString(),
})
