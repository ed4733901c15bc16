import type { ExportFormat } from '@accord/shared'
import { DOCUMENT_FIELD, documentSchema, VARIABLES_FIELD } from '@accord/shared/schema'
import { buildExportModel, type ExportModel, type ExportThread, type UnsetVariable } from '@accord/shared/export'
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
  /** A model built already (a redline, `history/redline.ts`): rendered as it is, `updates` unused. */
  model?: ExportModel
}

export interface ExportResult {
  files: Partial<Record<ExportFormat, Uint8Array>>
  fingerprint: string
  unsetVariables: UnsetVariable[]
  /** The whole state as one update: what a Final stores. */
  state: Uint8Array
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
  if (job.model) return renderModel(job.model, job, new Uint8Array(0))
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
