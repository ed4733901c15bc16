import { clauseFromSource, inlineContent, newClauseId } from '@accord/shared'
import type { JSONContent } from '@tiptap/core'
import type { Logger } from '../logger.js'
import type { TemplateStore } from '../persistence/templates.js'
import { MODEL_MOU, STARTER_TEMPLATES } from './starterLibrary.js'

/** Adds any starter template the library lacks (by key), so a fresh database has the whole library. */
export async function seedStarterLibrary(templates: TemplateStore, log: Logger): Promise<void> {
  // One transaction under a lock: instances starting together seed the library once.
  const added = await templates.exclusively(async () => {
    let count = 0
    for (const { key, category, summary, ...source } of STARTER_TEMPLATES) {
      if (await templates.byKey(key)) continue
      await templates.create({ key, category, summary, source }, null)
      count++
    }
    return count
  })
  if (added > 0) log.info('seeded the clause library', { templates: added })
}

/** The model MOU: a title, a short preamble, the starter clauses in order, and signature lines. */
export async function modelMou(templates: TemplateStore): Promise<JSONContent> {
  const clauses: JSONContent[] = []
  for (const key of MODEL_MOU.clauseKeys) {
    const template = await templates.byKey(key)
    if (!template || template.retired) continue
    clauses.push(clauseFromSource(template.source, newClauseId, { templateId: template.id, templateVersion: template.version }))
  }
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
