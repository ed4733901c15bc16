import { clauseFromSource, inlineContent, newClauseId } from '@accord/shared'
import type { JSONContent } from '@tiptap/core'
import type { Logger } from '../logger.js'
import type { TemplateStore } from '../persistence/templates.js'
import { MODEL_MOU, STARTER_TEMPLATES } from './starterLibrary.js'

/** Adds any starter template the library lacks (by key), so a fresh database has the whole library. */
export function seedStarterLibrary(templates: TemplateStore, log: Logger): void {
  let added = 0
  for (const { key, category, summary, ...source } of STARTER_TEMPLATES) {
    if (templates.byKey(key)) continue
    templates.create({ key, category, summary, source }, null)
    added++
  }
  if (added > 0) log.info('seeded the clause library', { templates: added })
}

/** The model MOU: a title, a short preamble, the starter clauses in order, and signature lines. */
export function modelMou(templates: TemplateStore): JSONContent {
  const clauses = MODEL_MOU.clauseKeys.flatMap((key) => {
    const template = templates.byKey(key)
    if (!template || template.retired) return []
    return [clauseFromSource(template.source, newClauseId, { templateId: template.id, templateVersion: template.version })]
  })
  return {
    type: 'doc',
    content: [
      { type: 'heading', attrs: { level: 1 }, content: inlineContent(MODEL_MOU.title) },
      ...MODEL_MOU.preamble.map((paragraph) => ({ type: 'paragraph', content: inlineContent(paragraph) })),
      ...clauses,
      { type: 'signatureBlock' },
    ],
  }
}
