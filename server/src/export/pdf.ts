import { changeList, clauseLabel, describeChange, describeMove, describeRedline, moveList, signatoryLines, threadHeading, type ExportBlock, type ExportModel, type ExportRun } from '@accord/shared/export'
import PDFDocument from 'pdfkit'
import type { StyledText } from './lineBreaking.js'
import { openFonts, type GlyphFont, type PathCommand } from './pdfFonts.js'
import { number, PdfTypesetter, type TextStyle } from './pdfText.js'
import { footerText, type ExportStamp } from './stamp.js'

type Pdf = PDFKit.PDFDocument

/** The document and what sets its text. */
interface Output {
  pdf: Pdf
  text: PdfTypesetter
}

const MARGIN = 72
const BODY_SIZE = 11
const INDENT = 22
const INK = '#111827'
const MUTED = '#4b5563'
/** A redline's marks: colour and line both, so they survive a black-and-white printer. */
const INSERTED = '#047857'
const DELETED = '#b91c1c'
const MOVED = '#6d28d9'

/** PDF: real text in an embedded Unicode font, the title in every page's header, page numbers in the footer. */
export function renderPdf(model: ExportModel, stamp: ExportStamp): Promise<Uint8Array> {
  const pdf = new PDFDocument({
    // No standard font: loading one reads its metrics from disk, and none could print "Nguyễn".
    font: null as unknown as string,
    size: 'LETTER',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang: 'en-US',
    displayTitle: true,
    info: { Title: model.title, Author: 'Accord', Subject: footerText(stamp), CreationDate: new Date(`${stamp.date}T00:00:00Z`) },
  })
  const fonts = openFonts(pdf)
  const output: Output = { pdf, text: new PdfTypesetter(pdf, fonts) }

  const chunks: Buffer[] = []
  const done = new Promise<Uint8Array>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk))
    pdf.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))))
    pdf.on('error', reject)
  })

  pdf.font('bold').fontSize(20).fillColor(INK).text(model.title, { align: 'left' })
  pdf.moveDown(0.8)
  if (model.redline) {
    pdf.font('italic').fontSize(BODY_SIZE).fillColor(MUTED).text(describeRedline(model.redline))
    pdf.moveDown(0.8)
    writeChangeList(pdf, model)
    pdf.addPage()
  }
  writeBlocks(output, model.blocks, 0)
  if (model.threads && model.threads.length > 0) {
    pdf.addPage()
    pdf.font('bold').fontSize(15).fillColor(INK).text('Appendix: comments')
    pdf.moveDown(0.5)
    model.threads.forEach((thread, index) => {
      pdf.font('bold').fontSize(BODY_SIZE).text(threadHeading(thread, index))
      for (const comment of thread.comments) {
        pdf.font('regular').text(`${comment.author} (${comment.affiliation}), ${comment.date}: ${comment.text}`, { indent: INDENT })
      }
      pdf.moveDown(0.5)
    })
  }
  stampPages(output, model.title, stamp, fonts.sansBold.font)
  pdf.end()
  return done
}

function writeBlocks(output: Output, blocks: readonly ExportBlock[], depth: number): void {
  const { pdf } = output
  for (const block of blocks) {
    switch (block.type) {
      case 'heading':
        pdf.moveDown(0.4)
        writeRuns(output, block.runs, depth, { size: [16, 14, 12.5][block.level - 1] ?? 12, bold: true })
        pdf.moveDown(0.3)
        break
      case 'paragraph':
        writeRuns(output, block.runs, depth)
        pdf.moveDown(0.5)
        break
      case 'quote':
        writeBlocks(output, block.blocks, depth + 1)
        break
      case 'list':
        block.items.forEach((item, index) => {
          const marker = block.ordered ? `${block.start + index}.` : '•'
          item.forEach((inner, at) => {
            if (at === 0 && inner.type === 'paragraph') {
              writeRuns(output, inner.runs, depth + 1, { marker })
              pdf.moveDown(0.25)
            } else {
              writeBlocks(output, [inner], depth + 1)
            }
          })
        })
        pdf.moveDown(0.25)
        break
      case 'clause':
        pdf.moveDown(0.3)
        writeRuns(output, [plainRun(`${clauseLabel(block.number)} `), ...block.title], block.depth, {
          size: block.depth === 0 ? 12.5 : 11.5,
          bold: true,
        })
        pdf.moveDown(0.35)
        if (block.moved) {
          pdf.font('italic').fontSize(BODY_SIZE - 1).fillColor(MOVED).text(describeMove(block.moved), MARGIN + INDENT * block.depth)
          pdf.fillColor(INK).moveDown(0.35)
        }
        writeBlocks(output, block.blocks, block.depth + 1)
        break
      case 'signatures':
        pdf.moveDown(1)
        for (const signatory of block.signatories) {
          if (pdf.y > pdf.page.height - MARGIN - 110) pdf.addPage()
          signatoryLines(signatory).forEach((line, index) => {
            writeRuns(output, [{ ...plainRun(line), bold: index === 0 }], depth)
            pdf.moveDown(0.45)
          })
          pdf.moveDown(0.8)
        }
        break
    }
  }
}

interface RunStyle {
  size?: number
  bold?: boolean
  marker?: string
}

function writeRuns({ pdf, text }: Output, runs: readonly ExportRun[], depth: number, style: RunStyle = {}): void {
  const left = MARGIN + INDENT * depth
  const width = pdf.page.width - MARGIN - left
  const size = style.size ?? BODY_SIZE
  const marker = style.marker ? { text: style.marker, style: textStyle(plainRun(style.marker), size, false), left: left - INDENT } : undefined
  if (runs.length === 0) {
    // An empty paragraph keeps its line, without the gap a line of text has below it.
    text.paragraph([{ text: ' ', style: textStyle(plainRun(' '), size, false) }], { left, width, lineGap: 0, marker })
    return
  }
  const styled: StyledText<TextStyle>[] = runs.map((run) => ({ text: run.text, style: textStyle(run, size, style.bold === true) }))
  text.paragraph(styled, { left, width, lineGap: 2, marker })
  pdf.fillColor(INK)
}

function textStyle(run: ExportRun, size: number, bold: boolean): TextStyle {
  const heavy = run.bold || bold
  const italic = run.italic || run.unresolved
  const change = run.change?.kind
  return {
    font: heavy && italic ? 'boldItalic' : heavy ? 'bold' : italic ? 'italic' : 'regular',
    size,
    color: change === 'insert' ? INSERTED : change === 'delete' ? DELETED : run.link ? '#1d4ed8' : run.unresolved ? '#92400e' : INK,
    underline: run.underline || run.link !== null || change === 'insert',
    strike: run.strike || change === 'delete',
    link: run.link,
  }
}

/** Before a redline's text: every change with its author and time, in order. */
function writeChangeList(pdf: Pdf, model: ExportModel): void {
  const changes = changeList(model)
  const moves = moveList(model)
  pdf.font('bold').fontSize(15).fillColor(INK).text(`Changes (${changes.length + moves.length})`)
  pdf.moveDown(0.5)
  if (changes.length + moves.length === 0) pdf.font('regular').fontSize(BODY_SIZE).text('No changes.')
  for (const { number, move } of moves) {
    pdf.font('bold').fontSize(BODY_SIZE).fillColor(MOVED).text(`${describeMove(move)}; now Section ${number}`)
    pdf.moveDown(0.4)
  }
  changes.forEach(({ text, change, clause }, index) => {
    pdf.font('bold').fontSize(BODY_SIZE).fillColor(change.kind === 'insert' ? INSERTED : DELETED)
    pdf.text(`${moves.length + index + 1}. ${describeChange(change)}${clause ? `, Section ${clause}` : ''}`)
    pdf.font('regular').fillColor(INK).text(`“${text}”`, { indent: INDENT })
    pdf.moveDown(0.4)
  })
}

const plainRun = (text: string): ExportRun => ({ text, bold: false, italic: false, underline: false, strike: false, link: null, unresolved: false })

const stampStyle = (font: 'sans' | 'sansBold', color: string): TextStyle => ({ font, size: 8.5, color, underline: false, strike: false, link: null })

/** Header, footer and watermark on every page, once the page count is known. */
function stampPages({ pdf, text }: Output, title: string, stamp: ExportStamp, watermarkFont: GlyphFont): void {
  const range = pdf.bufferedPageRange()
  const { width, height } = pdf.page
  const header = text.fittedLine(title, stampStyle('sans', MUTED), width - 2 * MARGIN - 60)
  const badge = text.line([{ text: stamp.final ? 'FINAL' : 'DRAFT', style: stampStyle('sansBold', stamp.final ? '#047857' : '#b45309') }])
  const footer = text.fittedLine(footerText(stamp), stampStyle('sans', MUTED), width - 2 * MARGIN - 80)
  const watermark = stamp.final ? null : watermarkForm(pdf, watermarkFont, 'DRAFT', width, height)
  for (let index = range.start; index < range.start + range.count; index++) {
    pdf.switchToPage(index)
    if (watermark) drawWatermark(pdf, watermark)
    pdf.fillOpacity(1)
    text.drawLine(header, MARGIN, 36)
    text.drawLine(badge, width - MARGIN - badge.width, 36)
    text.drawLine(footer, MARGIN, height - 48)
    const pageNumber = text.line([{ text: `Page ${index - range.start + 1} of ${range.count}`, style: stampStyle('sans', MUTED) }])
    text.drawLine(pageNumber, width - MARGIN - pageNumber.width, height - 48)
  }
}

const WATERMARK_SIZE = 120

/** Watermark outlines as PDF operators, by word and page size: worked out once per worker. */
const watermarkOperators = new Map<string, string>()

/**
 * The watermark is drawn as glyph outlines, not text, so it never mixes into the page's text
 * (copying, screen readers, pdftotext read only the document). The outlines are written once,
 * as a form every page draws: copied into each page they made up a quarter of a long PDF.
 */
function watermarkForm(pdf: Pdf, font: GlyphFont, word: string, width: number, height: number): PDFKit.PDFKitReference {
  const key = `${word} ${width}×${height}`
  let operators = watermarkOperators.get(key)
  if (operators === undefined) {
    operators = outlineOperators(font, word, width, height)
    watermarkOperators.set(key, operators)
  }
  const form = pdf.ref({ Type: 'XObject', Subtype: 'Form', BBox: [0, 0, width, height] })
  form.end(operators)
  return form
}

function drawWatermark(pdf: Pdf, form: PDFKit.PDFKitReference): void {
  ;(pdf.page.xobjects as Record<string, PDFKit.PDFKitReference>).Watermark = form
  pdf.save()
  pdf.fillColor('#b45309').fillOpacity(0.1)
  pdf.addContent('/Watermark Do')
  pdf.restore()
}

/** `word` in `font`, centred on the page and turned 45°, as filled paths. */
function outlineOperators(font: GlyphFont, word: string, width: number, height: number): string {
  const layout = font.layout(word)
  const scale = WATERMARK_SIZE / font.unitsPerEm
  const wordWidth = layout.positions.reduce((sum, position) => sum + position.xAdvance, 0) * scale
  const cos = Math.cos(-Math.PI / 4)
  const sin = Math.sin(-Math.PI / 4)
  const [centreX, centreY] = [width / 2, height / 2]
  const operators = [matrix(cos, sin, -sin, cos, centreX - (centreX * cos - centreY * sin), centreY - (centreX * sin + centreY * cos))]
  let x = centreX - wordWidth / 2
  layout.glyphs.forEach((glyph, index) => {
    operators.push(`q ${matrix(1, 0, 0, 1, x, centreY + WATERMARK_SIZE / 3)} ${matrix(scale, 0, 0, -scale, 0, 0)}`, pathOperators(glyph.path.commands), 'f Q')
    x += (layout.positions[index]?.xAdvance ?? 0) * scale
  })
  return operators.join('\n')
}

const matrix = (...values: number[]) => `${values.map(number).join(' ')} cm`

/** A glyph's outline as PDF path operators (PDF has no quadratic curves: they become cubic ones). */
function pathOperators(commands: readonly PathCommand[]): string {
  const operators: string[] = []
  let [currentX, currentY, startX, startY] = [0, 0, 0, 0]
  for (const { command, args } of commands) {
    switch (command) {
      case 'moveTo':
        ;[currentX, currentY, startX, startY] = [args[0]!, args[1]!, args[0]!, args[1]!]
        operators.push(`${number(currentX)} ${number(currentY)} m`)
        break
      case 'lineTo':
        ;[currentX, currentY] = [args[0]!, args[1]!]
        operators.push(`${number(currentX)} ${number(currentY)} l`)
        break
      case 'quadraticCurveTo': {
        const [controlX, controlY, endX, endY] = args as [number, number, number, number]
        const first = [currentX + (2 / 3) * (controlX - currentX), currentY + (2 / 3) * (controlY - currentY)]
        const second = [endX + (2 / 3) * (controlX - endX), endY + (2 / 3) * (controlY - endY)]
        operators.push(`${[...first, ...second, endX, endY].map(number).join(' ')} c`)
        ;[currentX, currentY] = [endX, endY]
        break
      }
      case 'bezierCurveTo':
        operators.push(`${args.map(number).join(' ')} c`)
        ;[currentX, currentY] = [args[4]!, args[5]!]
        break
      case 'closePath':
        operators.push('h')
        ;[currentX, currentY] = [startX, startY]
        break
    }
  }
  return operators.join(' ')
}
