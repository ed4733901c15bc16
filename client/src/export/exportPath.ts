import type { ExportFormat } from '@accord/shared'

/** The export endpoint's path under /api (for `api.download`, or prefixed for a frame's src). */
export function exportPath(documentId: string, format: ExportFormat, options: { inline?: boolean; comments?: boolean } = {}): string {
  const query = new URLSearchParams({ format })
  if (options.comments) query.set('comments', '1')
  if (options.inline) query.set('disposition', 'inline')
  return `/documents/${encodeURIComponent(documentId)}/export?${query.toString()}`
}
