import type { ExportFormat } from '@accord/shared'
import { DOCUMENT_FIELD, documentSchema, VARIABLES_FIELD } from '@accord/shared/schema'
import {
  buildExportModel,
  changeList,
  moveList,
  type ExportModel,
  type ExportThread,
  type ListedChange,
  type ListedMove,
  type UnsetVariable,
} from '@accord/shared/export'
import Database from 'better-sqlite3'
import { attributeWith, includeOnly, type People, type RedlineFilter } from '../history/attribute.js'
import { buildRedline } from '../history/redline.js'
import { AttributionStore, loadAttribution } from '../persistence/attribution.js'
import { postgresPool } from '../persistence/postgres.js'
import { PostgresSql } from '../persistence/sql.js'
import type { StorageLocation } from '../persistence/storage.js'
import { yXmlFragmentToProsemirror } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { renderDocx } from './docx.js'
import { renderHtml } from './html.js'
import { renderMarkdown } from './markdown.js'
import { renderPdf } from './pdf.js'
import { fingerprintOf, type ExportStamp } from './stamp.js'
import { renderText } from './text.js'

export interface ExportJob {
  title: string
  /** The document's stored state: a snapshot and the updates after it, or one merged update. */
  updates: Uint8Array[]
  formats: ExportFormat[]
  stamp: Omit<ExportStamp, 'fingerprint'>
  threads: ExportThread[] | null
  /** A redline between two states instead of the document (`updates` unused). */
  redline?: RedlineJob
}

export interface RedlineJob {
  documentId: string
  /** The database, opened here (SQLite read-only) for the attribution rows. */
  database: StorageLocation
  from: Uint8Array
  to: Uint8Array
  /** The two versions' names, as the redline's heading says them. */
  names: { from: string; to: string }
  people: People
  filter: RedlineFilter
}

export interface ExportResult {
  files: Partial<Record<ExportFormat, Uint8Array>>
  fingerprint: string
  unsetVariables: UnsetVariable[]
  /** The whole state as one update: what a Final stores. */
  state: Uint8Array
  /** For a redline: its changes and moves, in document order. */
  redline?: { changes: ListedChange[]; moves: ListedMove[] }
}

const RENDERERS: Record<ExportFormat, (model: ExportModel, stamp: ExportStamp) => Uint8Array | Promise<Uint8Array>> = {
  docx: renderDocx,
  pdf: renderPdf,
  html: renderHtml,
  md: renderMarkdown,
  txt: renderText,
}

/** Runs in the export worker: stored state → export model → the requested files. */
export async function renderExport(job: ExportJob): Promise<ExportResult> {
  if (job.redline) {
    const { redline } = job
    const model: ExportModel = {
      ...buildRedline({
        title: job.title,
        from: redline.from,
        to: redline.to,
        attribute: attributeWith(await attributionOf(redline.database, redline.documentId), redline.documentId, redline.people),
        include: includeOnly(redline.filter),
      }),
      redline: redline.names,
    }
    const result = await renderModel(model, job, new Uint8Array(0))
    return { ...result, redline: { changes: changeList(model), moves: moveList(model) } }
  }
  const state = job.updates.length === 1 ? job.updates[0]! : Y.mergeUpdates(job.updates)
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  const node = yXmlFragmentToProsemirror(documentSchema, doc.getXmlFragment(DOCUMENT_FIELD))
  const variables = new Map<string, string>()
  doc.getMap(VARIABLES_FIELD).forEach((value, key) => {
    if (typeof value === 'string') variables.set(key, value)
  })
  doc.destroy()
  return renderModel(buildExportModel({ title: job.title, doc: node, variables, threads: job.threads }), job, state)
}

async function renderModel(model: ExportModel, job: ExportJob, state: Uint8Array): Promise<ExportResult> {
  const stamp: ExportStamp = { ...job.stamp, fingerprint: fingerprintOf(model) }
  const files: ExportResult['files'] = {}
  for (const format of job.formats) files[format] = await RENDERERS[format](model, stamp)
  return { files, fingerprint: stamp.fingerprint, unsetVariables: model.unsetVariables, state }
}

let attribution: { file: string; store: AttributionStore } | null = null
let postgres: { key: string; sql: PostgresSql } | null = null

/** A document's attribution rows, through this worker's own connection to the database. */
async function attributionOf(database: StorageLocation, documentId: string): Promise<Pick<AttributionStore, 'historyOf'>> {
  if (database.kind === 'sqlite') return attributionStore(database.file)
  const key = `${database.url} ${database.schema ?? ''}`
  if (postgres?.key !== key) {
    await postgres?.sql.close()
    postgres = { key, sql: new PostgresSql(postgresPool(database, 1)) }
  }
  return loadAttribution(postgres.sql, documentId)
}

/** One read-only connection per worker, opened by its first redline (WAL lets it read beside the writer). */
function attributionStore(file: string): AttributionStore {
  if (attribution?.file !== file) {
    const db = new Database(file, { readonly: true, fileMustExist: true })
    db.pragma('busy_timeout = 5000')
    attribution = { file, store: new AttributionStore(db) }
  }
  return attribution.store
}
