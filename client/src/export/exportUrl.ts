import type { ExportFormat } from '@accord/shared'

/** The export endpoint; a plain link downloads it with the session cookie, named by the server. */
export function exportUrl(documentId: string, format: ExportFormat, options: { inline?: boolean; comments?: boolean } = {}): string {
  const query = new URLSearchParams({ format })
  if (options.comments) query.set('comments', '1')
  if (options.inline) query.set('disposition', 'inline')
  return `/api/documents/${encodeURIComponent(documentId)}/export?${query.toString()}`
}
