import type { ClauseSource } from './source.js'

/**
 * The plain text a site admin edits a clause template in, and its translation to and from
 * `ClauseSource`:
 *
 * ```text
 * Complaints and grievances             ← the first line is the clause title
 *
 * Anyone may complain to {{district}}.  ← paragraphs are separated by blank lines
 *
 * - by letter;                          ← a paragraph whose lines all start with "- "
 * - by email.                             is a list, one item per line
 *
 * ## How complaints are handled         ← a sub-clause (numbered 1.1)
 *
 * ### Time limits                       ← a sub-sub-clause (1.1.1); a later "##" closes it
 * ```
 *
 * As people type it, a list may follow its lead-in line without a blank line between them: a
 * paragraph also ends where its lines change from text to "- " items or back.
 *
 * Lines inside a paragraph are kept as they are (the document joins them with spaces), so
 * `markupToSource(sourceToMarkup(source))` gives back exactly `source` (an empty `subclauses`
 * array comes back absent). The few lines that would otherwise read as structure are written
 * with a leading backslash, which the parser removes: a paragraph line that is blank, starts
 * with "##" or a backslash, or starts with "- " in a paragraph that is not a list. A title that
 * starts with a space or a backslash, is empty (first line only), or holds a line break is
 * written as "\" followed by the title with "\\" for a backslash and "\n" for a line break.
 */

/** Two or more "#", then a space or the end of the line: a sub-clause of level (count - 1). */
const HEADING = /^(#{2,})(?: ([\s\S]*))?$/
const BLANK = /^\s*$/
const ESCAPE = '\\'

const ITEM = '- '

const needsLineEscape = (line: string) => BLANK.test(line) || line.startsWith(ESCAPE) || HEADING.test(line)

function paragraphMarkup(paragraph: string): string {
  const lines = paragraph.split('\n')
  // In a paragraph that is not a list, an item-like line must not start a list of its own.
  const isList = lines.every((line) => line.startsWith(ITEM))
  return lines.map((line) => (needsLineEscape(line) || (!isList && line.startsWith(ITEM)) ? ESCAPE + line : line)).join('\n')
}

function encodeTitle(title: string, { firstLine }: { firstLine: boolean }): string {
  const plain = !title.includes('\n') && !title.startsWith(ESCAPE) && !/^\s/.test(title) && (title !== '' || !firstLine)
  return plain ? title : ESCAPE + title.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
}

function decodeTitle(raw: string): string {
  if (!raw.startsWith(ESCAPE)) return raw.replace(/^\s+/, '')
  return raw.slice(1).replace(/\\([\\n])/g, (_match, escaped: string) => (escaped === 'n' ? '\n' : '\\'))
}

function blocksOf(source: ClauseSource, level: number): string[] {
  const blocks = source.body.map(paragraphMarkup)
  for (const subclause of source.subclauses ?? []) {
    const hashes = '#'.repeat(level + 1)
    blocks.push(subclause.title === '' ? hashes : `${hashes} ${encodeTitle(subclause.title, { firstLine: false })}`)
    blocks.push(...blocksOf(subclause, level + 1))
  }
  return blocks
}

/** A clause's paragraphs and sub-clauses as markup, without its title line. */
export function clauseBodyToMarkup(source: ClauseSource): string {
  return blocksOf(source, 1).join('\n\n')
}

/** A clause source as markup: its title on the first line, then its paragraphs and sub-clauses. */
export function sourceToMarkup(source: ClauseSource): string {
  const title = encodeTitle(source.title, { firstLine: true })
  const body = clauseBodyToMarkup(source)
  return body === '' ? title : `${title}\n\n${body}`
}

function parseInto(root: ClauseSource, lines: readonly string[]): ClauseSource {
  const open: ClauseSource[] = [root]
  let paragraph: string[] | null = null
  let paragraphIsList = false
  const endParagraph = () => {
    if (paragraph) open.at(-1)!.body.push(paragraph.join('\n'))
    paragraph = null
  }
  const addLine = (line: string, isItem: boolean) => {
    if (paragraph && paragraphIsList !== isItem) endParagraph()
    if (!paragraph) paragraphIsList = isItem
    ;(paragraph ??= []).push(line)
  }
  for (const line of lines) {
    if (line.startsWith(ESCAPE)) {
      addLine(line.slice(1), false)
      continue
    }
    if (BLANK.test(line)) {
      endParagraph()
      continue
    }
    const heading = HEADING.exec(line)
    if (heading) {
      endParagraph()
      // "##" is a sub-clause of the clause, "###" of the last "##"; a level with no parent open
      // (a "###" straight after the title) nests under the deepest clause that is.
      const level = Math.min(heading[1]!.length - 1, open.length)
      open.length = level
      const clause: ClauseSource = { title: decodeTitle(heading[2] ?? ''), body: [] }
      const parent = open[level - 1]!
      ;(parent.subclauses ??= []).push(clause)
      open.push(clause)
      continue
    }
    addLine(line, line.startsWith(ITEM))
  }
  endParagraph()
  return root
}

/** Markup (title on the first line) back to a clause source. Blank lines before the title are skipped. */
export function markupToSource(text: string): ClauseSource {
  const lines = text.split('\n')
  let first = 0
  while (first < lines.length && BLANK.test(lines[first]!)) first++
  const title = first < lines.length ? decodeTitle(lines[first]!) : ''
  return parseInto({ title, body: [] }, lines.slice(first + 1))
}

/** Markup without a title line (the title is edited on its own) to a clause's paragraphs and sub-clauses. */
export function markupToClauseBody(text: string): Pick<ClauseSource, 'body' | 'subclauses'> {
  const { body, subclauses } = parseInto({ title: '', body: [] }, text.split('\n'))
  return subclauses ? { body, subclauses } : { body }
}
