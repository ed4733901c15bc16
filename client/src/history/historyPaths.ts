import type { RedlineFormat } from '@accord/shared'

/** Paths under /api for a document's history (for `api.*`, or prefixed with /api for a frame's src). */
const base = (documentId: string) => `/documents/${encodeURIComponent(documentId)}`

export const versionsPath = (documentId: string) => `${base(documentId)}/versions`
export const activityPath = (documentId: string) => `${base(documentId)}/activity`
export const restorePath = (documentId: string, versionId: number) => `${versionsPath(documentId)}/${versionId}/restore`

export function versionViewPath(documentId: string, versionId: number): string {
  return `${versionsPath(documentId)}/${versionId}/export?format=html&disposition=inline`
}

export interface RedlineChoice {
  from: number | 'current'
  to: number | 'current'
  person: string
  affiliation: string
}

export function redlinePath(documentId: string, choice: RedlineChoice, format: RedlineFormat, inline = false): string {
  const query = new URLSearchParams({ from: String(choice.from), to: String(choice.to), format })
  if (choice.person) query.set('person', choice.person)
  if (choice.affiliation) query.set('affiliation', choice.affiliation)
  if (inline) query.set('disposition', 'inline')
  return `${base(documentId)}/redline?${query.toString()}`
}
