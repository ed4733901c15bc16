import { z } from 'zod'

export const EXPORT_FORMATS = ['docx', 'pdf', 'html', 'md', 'txt'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export const EXPORT_FORMAT_LABELS: Record<ExportFormat, string> = {
  docx: 'Word (.docx)',
  pdf: 'PDF',
  html: 'Web page (.html)',
  md: 'Markdown (.md)',
  txt: 'Plain text (.txt)',
}

/** The query of GET /api/documents/:id/export. */
export const exportQuery = z.strictObject({
  format: z.enum(EXPORT_FORMATS, { error: `Format must be one of: ${EXPORT_FORMATS.join(', ')}.` }),
  comments: z.enum(['0', '1'], { error: 'comments must be 0 or 1.' }).optional(),
  /** inline: shown in the page (the HTML preview) rather than downloaded. */
  disposition: z.enum(['attachment', 'inline'], { error: 'disposition must be attachment or inline.' }).optional(),
})
export type ExportQuery = z.infer<typeof exportQuery>
