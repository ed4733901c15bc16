import { sourceFromClause, sourceWords, type ClauseSource, type TemplateVersion } from '@accord/shared'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { useEffect, useState } from 'react'
import { api } from '../api/client'

const versionsByTemplate = new Map<string, Promise<TemplateVersion[]>>()

function versionsOf(templateId: string): Promise<TemplateVersion[]> {
  let versions = versionsByTemplate.get(templateId)
  if (!versions) {
    versions = api.get<TemplateVersion[]>(`/templates/${templateId}/versions`).catch(() => [])
    versionsByTemplate.set(templateId, versions)
  }
  return versions
}

/** The template text each (template, version) pair in the document was inserted from. */
export function useTemplateSources(keys: readonly string[]): ReadonlyMap<string, ClauseSource> {
  const [sources, setSources] = useState<ReadonlyMap<string, ClauseSource>>(new Map())
  const wanted = keys.join(',')
  useEffect(() => {
    let cancelled = false
    const pairs = wanted ? wanted.split(',') : []
    void Promise.all(
      pairs.map(async (key) => {
        const [templateId, version] = key.split('@')
        const match = (await versionsOf(templateId!)).find((candidate) => String(candidate.version) === version)
        return match ? ([key, match] as const) : null
      }),
    ).then((found) => {
      if (!cancelled) setSources(new Map(found.filter((entry) => entry !== null)))
    })
    return () => {
      cancelled = true
    }
  }, [wanted])
  return sources
}

export const templateKey = (templateId: string, version: number) => `${templateId}@${version}`

// ProseMirror nodes are immutable and a transaction reuses every node it did not touch, so the
// answer for a clause is cached by its node: typing in one clause recomputes only that one.
const answers = new WeakMap<ProseMirrorNode, WeakMap<ClauseSource, boolean>>()

/** Whether a clause's words now differ from the template text it was inserted from. */
export function differsFromTemplate(clause: ProseMirrorNode, template: ClauseSource): boolean {
  let byTemplate = answers.get(clause)
  if (!byTemplate) answers.set(clause, (byTemplate = new WeakMap()))
  let differs = byTemplate.get(template)
  if (differs === undefined) {
    differs = sourceWords(sourceFromClause(clause.toJSON())).join(' ') !== sourceWords(template).join(' ')
    byTemplate.set(template, differs)
  }
  return differs
}
