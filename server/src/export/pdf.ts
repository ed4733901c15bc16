import fs from 'node:fs'
import { createRequire } from 'node:module'
import { changeList, clauseLabel, describeChange, describeMove, describeRedline, moveList, signatoryLines, threadHeading, type ExportBlock, type ExportModel, type ExportRun } from '@accord/shared/export'
import PDFDocument from 'pdfkit'
import { footerText, type ExportStamp } from './stamp.js'

type Pdf = PDFKit.PDFDocument

/**
 * DejaVu (Latin, Vietnamese, Greek, Cyrillic…), shipped by an npm package so every machine has
 * it, read once here: the renderer itself is handed bytes and opens no file and no URL.
 */
const FONTS = (() => {
  const require = createRequire(import.meta.url)
  const file = (name: string) => fs.readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${name}`))
  return {
    regular: file('DejaVuSerif.ttf'),
    bold: file('DejaVuSerif-Bold.ttf'),
    italic: file('DejaVuSerif-Italic.ttf'),
    boldItalic: file('DejaVuSerif-BoldItalic.ttf'),
    sans: file('DejaVuSans.ttf'),
    sansBold: file('DejaVuSans-Bold.ttf'),
  }
})()

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
  pdf.registerFont('regular', FONTS.regular)
  pdf.registerFont('bold', FONTS.bold)
  pdf.registerFont('italic', FONTS.italic)
  pdf.registerFont('boldItalic', FONTS.boldItalic)
  pdf.registerFont('sans', FONTS.sans)
  pdf.registerFont('sansBold', FONTS.sansBold)

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
  writeBlocks(pdf, model.blocks, 0)
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
  stampPages(pdf, model.title, stamp)
  pdf.end()
  return done
}

function writeBlocks(pdf: Pdf, blocks: readonly ExportBlock[], depth: number): void {
  for (const block of blocks) {
    switch (block.type) {
      case 'heading':
        pdf.moveDown(0.4)
        writeRuns(pdf, block.runs, depth, { size: [16, 14, 12.5][block.level - 1] ?? 12, bold: true })
        pdf.moveDown(0.3)
        break
      case 'paragraph':
        writeRuns(pdf, block.runs, depth)
        pdf.moveDown(0.5)
        break
      case 'quote':
        writeBlocks(pdf, block.blocks, depth + 1)
        break
      case 'list':
        block.items.forEach((item, index) => {
          const marker = block.ordered ? `${block.start + index}.` : '•'
          item.forEach((inner, at) => {
            if (at === 0 && inner.type === 'paragraph') {
              writeRuns(pdf, inner.runs, depth + 1, { marker })
              pdf.moveDown(0.25)
            } else {
              writeBlocks(pdf, [inner], depth + 1)
            }
          })
        })
        pdf.moveDown(0.25)
        break
      case 'clause':
        pdf.moveDown(0.3)
        writeRuns(pdf, [plainRun(`${clauseLabel(block.number)} `), ...block.title], block.depth, {
          size: block.depth === 0 ? 12.5 : 11.5,
          bold: true,
        })
        pdf.moveDown(0.35)
        if (block.moved) {
          pdf.font('italic').fontSize(BODY_SIZE - 1).fillColor(MOVED).text(describeMove(block.moved), MARGIN + INDENT * block.depth)
          pdf.fillColor(INK).moveDown(0.35)
        }
        writeBlocks(pdf, block.blocks, block.depth + 1)
        break
      case 'signatures':
        pdf.moveDown(1)
        for (const signatory of block.signatories) {
          if (pdf.y > pdf.page.height - MARGIN - 110) pdf.addPage()
          signatoryLines(signatory).forEach((line, index) => {
            writeRuns(pdf, [{ ...plainRun(line), bold: index === 0 }], depth)
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

function writeRuns(pdf: Pdf, runs: readonly ExportRun[], depth: number, style: RunStyle = {}): void {
  const left = MARGIN + INDENT * depth
  const width = pdf.page.width - MARGIN - left
  pdf.fontSize(style.size ?? BODY_SIZE)
  if (style.marker) {
    pdf.font('regular').fillColor(INK).text(style.marker, left - INDENT, pdf.y, { width: INDENT - 4, lineBreak: false })
    pdf.moveUp()
  }
  if (runs.length === 0) {
    pdf.text(' ', left, pdf.y, { width })
    return
  }
  runs.forEach((run, index) => {
    const bold = run.bold || style.bold === true
    const italic = run.italic || run.unresolved
    pdf.font(bold && italic ? 'boldItalic' : bold ? 'bold' : italic ? 'italic' : 'regular')
    const change = run.change?.kind
    pdf.fillColor(change === 'insert' ? INSERTED : change === 'delete' ? DELETED : run.link ? '#1d4ed8' : run.unresolved ? '#92400e' : INK)
    const options: PDFKit.Mixins.TextOptions = {
      width,
      continued: index < runs.length - 1,
      underline: run.underline || run.link !== null || change === 'insert',
      strike: run.strike || change === 'delete',
      link: run.link,
      lineGap: 2,
    }
    if (index === 0) pdf.text(run.text, left, pdf.y, options)
    else pdf.text(run.text, options)
  })
  pdf.fillColor(INK)
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

/** Header, footer and watermark on every page, once the page count is known. */
function stampPages(pdf: Pdf, title: string, stamp: ExportStamp): void {
  const range = pdf.bufferedPageRange()
  for (let index = range.start; index < range.start + range.count; index++) {
    pdf.switchToPage(index)
    const { width, height } = pdf.page
    const margins = { ...pdf.page.margins }
    // Writing inside the margins would otherwise start a new page.
    pdf.page.margins = { top: 0, bottom: 0, left: 0, right: 0 }
    if (!stamp.final) drawWatermark(pdf, 'DRAFT', width, height)
    pdf.fillOpacity(1).font('sans').fontSize(8.5).fillColor(MUTED)
    pdf.text(title, MARGIN, 36, { width: width - 2 * MARGIN - 60, lineBreak: false, ellipsis: true })
    pdf.font('sansBold').fillColor(stamp.final ? '#047857' : '#b45309')
    pdf.text(stamp.final ? 'FINAL' : 'DRAFT', width - MARGIN - 60, 36, { width: 60, align: 'right', lineBreak: false })
    pdf.font('sans').fillColor(MUTED)
    pdf.text(footerText(stamp), MARGIN, height - 48, { width: width - 2 * MARGIN - 80, lineBreak: false, ellipsis: true })
    pdf.text(`Page ${index - range.start + 1} of ${range.count}`, width - MARGIN - 80, height - 48, { width: 80, align: 'right', lineBreak: false })
    pdf.page.margins = margins
  }
}

type PathCommand = { command: 'moveTo' | 'lineTo' | 'quadraticCurveTo' | 'bezierCurveTo' | 'closePath'; args: number[] }

interface GlyphFont {
  unitsPerEm: number
  layout(text: string): { glyphs: { path: { commands: PathCommand[] } }[]; positions: { xAdvance: number }[] }
}

const WATERMARK_SIZE = 120

/** Watermark outlines as PDF operators, by word and page size: worked out once, the same bytes on every page. */
const watermarkOperators = new Map<string, string>()

/**
 * The watermark is drawn as glyph outlines, not text, so it never mixes into the page's text
 * (copying, screen readers, pdftotext read only the document).
 */
function drawWatermark(pdf: Pdf, word: string, width: number, height: number): void {
  const key = `${word} ${width}×${height}`
  let operators = watermarkOperators.get(key)
  if (operators === undefined) {
    pdf.font('sansBold')
    operators = outlineOperators((pdf as unknown as { _font: { font: GlyphFont } })._font.font, word, width, height)
    watermarkOperators.set(key, operators)
  }
  pdf.save()
  pdf.fillColor('#b45309').fillOpacity(0.1)
  pdf.addContent(operators)
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

const number = (value: number) => String(Math.round(value * 1000) / 1000)
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
