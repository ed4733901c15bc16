import { clauseLabel, describeMove, describeRedline, signatoryLines, threadHeading, type ExportBlock, type ExportModel, type ExportRun } from '@accord/shared/export'
import {
  AlignmentType,
  DeletedTextRun,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  HeadingLevel,
  InsertedTextRun,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  TextRun,
  type ParagraphChild,
} from 'docx'
import { footerText, type ExportStamp } from './stamp.js'

const INDENT_TWIPS = 480
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6]
const ORDERED = 'ordered-list'

/**
 * Word. Clause numbers are written as literal text, exactly as the editor computes them (Word's
 * own numbering could renumber a clause the committee never saw renumbered); lists use Word's
 * bullets and numbering. All text goes in through the library's escaping, as text runs.
 */
export async function renderDocx(model: ExportModel, stamp: ExportStamp): Promise<Uint8Array> {
  const writer = new DocxWriter()
  const children = [new Paragraph({ heading: HeadingLevel.TITLE, spacing: { after: 240 }, children: [new TextRun(model.title)] })]
  if (model.redline) children.push(new Paragraph({ spacing: { after: 240 }, children: [new TextRun({ text: describeRedline(model.redline), italics: true })] }))
  children.push(...writer.blocks(model.blocks, 0, 0))
  if (model.threads && model.threads.length > 0) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [new TextRun('Appendix: comments')] }))
    model.threads.forEach((thread, index) => {
      children.push(new Paragraph({ heading: HeadingLevel.HEADING_3, children: [new TextRun(threadHeading(thread, index))] }))
      for (const comment of thread.comments) {
        children.push(new Paragraph({ bullet: { level: 0 }, children: [new TextRun(`${comment.author} (${comment.affiliation}), ${comment.date}: ${comment.text}`)] }))
      }
    })
  }
  const document = new Document({
    title: model.title,
    creator: 'Accord',
    description: footerText(stamp),
    styles: {
      default: {
        document: {
          run: { font: 'Georgia', size: 22 },
          paragraph: { spacing: { after: 120, line: 276 } },
        },
      },
    },
    numbering: {
      config: [
        {
          reference: ORDERED,
          levels: [0, 1, 2, 3, 4, 5, 6, 7, 8].map((level) => ({
            level,
            format: LevelFormat.DECIMAL,
            text: `%${level + 1}.`,
            alignment: AlignmentType.START,
            style: { paragraph: { indent: { left: INDENT_TWIPS * (level + 1), hanging: 360 } } },
          })),
        },
      ],
    },
    sections: [
      {
        headers: {
          default: new Header({
            children: [
              new Paragraph({
                children: [new TextRun({ text: `${stamp.final ? 'FINAL' : 'DRAFT'} · `, bold: true }), new TextRun(model.title)],
              }),
            ],
          }),
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                children: [
                  new TextRun(`${footerText(stamp)} · Page `),
                  new TextRun({ children: [PageNumber.CURRENT] }),
                  new TextRun(' of '),
                  new TextRun({ children: [PageNumber.TOTAL_PAGES] }),
                ],
              }),
            ],
          }),
        },
        children,
      },
    ],
  })
  return new Uint8Array(await Packer.toBuffer(document))
}

class DocxWriter {
  private lists = 0
  /** Word wants every tracked change's id unique in the document. */
  private readonly changeIds = { next: 1 }

  blocks(list: readonly ExportBlock[], depth: number, listLevel: number): Paragraph[] {
    const out: Paragraph[] = []
    const indent = depth > 0 ? { left: INDENT_TWIPS * depth } : undefined
    for (const block of list) {
      switch (block.type) {
        case 'heading':
          out.push(new Paragraph({ heading: HEADINGS[Math.min(block.level, 6) - 1], indent, children: runs(block.runs, this.changeIds) }))
          break
        case 'paragraph':
          out.push(new Paragraph({ indent, children: runs(block.runs, this.changeIds) }))
          break
        case 'quote':
          out.push(...this.blocks(block.blocks, depth + 1, listLevel))
          break
        case 'list': {
          const instance = ++this.lists
          block.items.forEach((item) => {
            item.forEach((inner, index) => {
              if (inner.type === 'paragraph' && index === 0) {
                out.push(
                  new Paragraph({
                    children: runs(inner.runs, this.changeIds),
                    // Under the clause it belongs to, like the editor's lists.
                    indent: { left: INDENT_TWIPS * (depth + listLevel + 1), hanging: 360 },
                    ...(block.ordered ? { numbering: { reference: ORDERED, level: listLevel, instance } } : { bullet: { level: listLevel } }),
                  }),
                )
              } else if (inner.type === 'list') {
                out.push(...this.blocks([inner], depth, listLevel + 1))
              } else {
                out.push(...this.blocks([inner], depth + listLevel + 1, listLevel))
              }
            })
          })
          break
        }
        case 'clause':
          out.push(
            new Paragraph({
              heading: HEADINGS[Math.min(block.depth + 1, 5)],
              indent: block.depth > 0 ? { left: INDENT_TWIPS * block.depth } : undefined,
              keepNext: true,
              children: [new TextRun(`${clauseLabel(block.number)} `), ...runs(block.title, this.changeIds)],
            }),
          )
          // Word's move tracking (w:moveFrom, w:moveTo) is not in the docx library: the move is said in words.
          if (block.moved) out.push(new Paragraph({ indent: { left: INDENT_TWIPS * (block.depth + 1) }, children: [new TextRun({ text: describeMove(block.moved), italics: true, color: '6D28D9' })] }))
          out.push(...this.blocks(block.blocks, block.depth + 1, listLevel))
          break
        case 'signatures':
          for (const signatory of block.signatories) {
            signatoryLines(signatory).forEach((line, index) =>
              out.push(new Paragraph({ keepNext: index < 4, spacing: { before: index === 0 ? 480 : 120 }, children: [new TextRun({ text: line, bold: index === 0 })] })),
            )
          }
          break
      }
    }
    return out
  }
}

/**
 * A redline's changes become Word's own tracked changes (w:ins, w:del with author and date),
 * so counsel can review, accept or reject them in Word.
 */
function runs(list: readonly ExportRun[], changeIds: { next: number }): ParagraphChild[] {
  return list.map((run) => {
    const pieces = run.text.split('\n').map((text, index) => {
      const options = {
        text,
        break: index > 0 ? 1 : undefined,
        bold: run.bold,
        italics: run.italic || run.unresolved,
        underline: run.underline ? {} : undefined,
        strike: run.strike,
        highlight: run.unresolved ? ('yellow' as const) : undefined,
        style: run.link ? 'Hyperlink' : undefined,
      }
      if (!run.change) return new TextRun(options)
      const tracked = { ...options, id: changeIds.next++, author: trackedAuthor(run.change), date: run.change.at }
      return run.change.kind === 'insert' ? new InsertedTextRun(tracked) : new DeletedTextRun(tracked)
    })
    return run.link ? new ExternalHyperlink({ link: run.link, children: pieces }) : pieces
  }).flat()
}

const trackedAuthor = (change: { author: string; affiliation: string }): string =>
  change.affiliation ? `${change.author} (${change.affiliation})` : change.author
