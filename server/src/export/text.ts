import { canonicalText, threadHeading, type ExportModel } from '@accord/shared/export'
import { footerText, type ExportStamp } from './stamp.js'

/** Plain text: the canonical text itself, then the appendix and the footer. */
export function renderText(model: ExportModel, stamp: ExportStamp): Uint8Array {
  const parts = [canonicalText(model)]
  if (model.threads && model.threads.length > 0) {
    const lines = ['', 'Appendix: comments', '']
    model.threads.forEach((thread, index) => {
      lines.push(threadHeading(thread, index))
      for (const comment of thread.comments) lines.push(`    ${comment.author} (${comment.affiliation}), ${comment.date}: ${comment.text}`)
      lines.push('')
    })
    parts.push(lines.join('\n'))
  }
  parts.push(`\n---\n${footerText(stamp)}\n`)
  return new TextEncoder().encode(parts.join(''))
}
