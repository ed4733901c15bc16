import { clauseLabel, signatoryLines, threadHeading, type ExportBlock, type ExportModel, type ExportRun } from '@accord/shared/export'
import { footerText, type ExportStamp } from './stamp.js'

/**
 * Markdown (CommonMark). Every character of the text is literal: the characters Markdown gives
 * meaning to are backslash-escaped, and those that only mean something at the start of a line
 * are escaped there, so no text can become markup, a link or HTML.
 */
export function renderMarkdown(model: ExportModel, stamp: ExportStamp): Uint8Array {
  const out: string[] = [`# ${escapeLine(model.title)}`, '']
  if (!stamp.final) out.push('**DRAFT**', '')
  out.push(...blocks(model.blocks))
  if (model.threads && model.threads.length > 0) {
    out.push('## Appendix: comments', '')
    model.threads.forEach((thread, index) => {
      out.push(`### ${escapeLine(threadHeading(thread, index))}`, '')
      for (const comment of thread.comments) {
        out.push(`- ${escapeLine(`${comment.author} (${comment.affiliation}), ${comment.date}: ${comment.text}`)}`)
      }
      out.push('')
    })
  }
  out.push('---', '', `*${escapeLine(footerText(stamp))}*`, '')
  return new TextEncoder().encode(out.join('\n'))
}

function blocks(list: readonly ExportBlock[]): string[] {
  const out: string[] = []
  for (const block of list) {
    switch (block.type) {
      case 'heading':
        out.push(`${'#'.repeat(Math.min(block.level + 1, 6))} ${runs(block.runs).replaceAll('\\\n', ' ')}`, '')
        break
      case 'paragraph':
        if (block.runs.length > 0) out.push(runs(block.runs), '')
        break
      case 'quote':
        out.push(...blocks(block.blocks).map((line) => (line ? `> ${line}` : '>')), '')
        break
      case 'list':
        block.items.forEach((item, index) => {
          const marker = `${block.ordered ? `${block.start + index}.` : '-'} `.padEnd(4)
          const inner = blocks(item)
          inner.forEach((line, at) => out.push(at === 0 ? marker + line : line ? `    ${line}` : ''))
        })
        out.push('')
        break
      case 'clause': {
        const hashes = '#'.repeat(Math.min(block.depth + 2, 6))
        out.push(`${hashes} ${clauseLabel(block.number)} ${runs(block.title).replaceAll('\\\n', ' ')}`.trimEnd(), '')
        out.push(...blocks(block.blocks))
        break
      }
      case 'signatures':
        for (const signatory of block.signatories) out.push(signatoryLines(signatory).map(escapeLine).join('\\\n'), '')
        break
    }
  }
  return out
}

function runs(list: readonly ExportRun[]): string {
  return list
    .map((run) => {
      // Emphasis markers must touch the words, so surrounding spaces go outside them.
      const [, lead = '', core = '', trail = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(run.text) ?? []
      if (!core) return escapeText(run.text)
      let text = escapeText(core)
      if (run.bold) text = `**${text}**`
      if (run.italic) text = `*${text}*`
      if (run.strike) text = `~~${text}~~`
      if (run.underline) text = `<u>${text}</u>`
      if (run.link) text = `[${text}](<${linkTarget(run.link)}>)`
      return escapeText(lead) + text + escapeText(trail)
    })
    .join('')
    .split('\n')
    .map(escapeLineStart)
    .join('\\\n')
}

/**
 * Every character CommonMark or GFM may read as markup, inline. Parentheses and "!" mean
 * something only next to a bracket, and brackets are always escaped, so they stay readable.
 */
const escapeText = (text: string): string => text.replace(/[\\`*_[\]<>#|~&]/g, '\\$&')

/** What means something only at the start of a line: a list, a heading, a quote, a code block. */
function escapeLineStart(line: string): string {
  return line
    .replace(/^( *)([-+=>]|\d+(?=[.)]))/, (_match, spaces: string, marker: string) => `${spaces}${/\d/.test(marker) ? `${marker}\\` : `\\${marker}`}`)
    .replace(/^[ \t]+/, (spaces) => spaces.replace(/ /g, '&#32;').replace(/\t/g, '&#9;'))
}

const escapeLine = (text: string): string => text.split('\n').map((line) => escapeLineStart(escapeText(line))).join('\\\n')

/** A link target inside <…>: already a parsed http(s)/mailto URL; nothing in it may close the brackets. */
const linkTarget = (href: string): string => new URL(href).href.replace(/[<>\s\\]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`)
