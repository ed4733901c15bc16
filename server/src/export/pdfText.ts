import { breakLines, type Line, type StyledText } from './lineBreaking.js'
import type { FontName, PdfFont } from './pdfFonts.js'

type Pdf = PDFKit.PDFDocument

export interface TextStyle {
  font: FontName
  size: number
  /** '#rrggbb' */
  color: string
  underline: boolean
  strike: boolean
  link: string | null
}

export type TextLine = Line<TextStyle>

interface Paragraph {
  left: number
  width: number
  /** Extra space below every line. */
  lineGap: number
  /** Drawn at `left` on the paragraph's first line (a list item's bullet or number). */
  marker?: { text: string; style: TextStyle; left: number }
}

/** A word as the PDF draws it: its glyphs, kerning and advance. */
interface EncodedWord {
  /** In thousandths of the font size. */
  advance: number
  /**
   * TJ operands: glyph bytes (string contents, escaped) and kerning alternating, first and last
   * glyph bytes (the last may be empty). Null when a glyph sits off the baseline (a combining
   * mark): then `glyphs` places them one by one.
   */
  operands: string[] | null
  glyphs: { bytes: string; xAdvance: number; xOffset: number; yOffset: number }[]
}

/**
 * Sets text into a pdfkit document without pdfkit's text layout: lines are broken over word
 * widths measured once per word, and each line is written as one text object. pdfkit's
 * `text()` wrapped, measured and shaped every line again, which made up most of a long
 * agreement's export time. Glyphs still go through pdfkit's fonts, so the font subsets, widths
 * and Unicode maps (the text a reader copies) are pdfkit's.
 *
 * Coordinates are pdfkit's: from the top left of the page, y down.
 */
export class PdfTypesetter {
  private readonly words = new Map<FontName, Map<string, EncodedWord>>()
  private readonly colors = new Map<string, string>()
  /** Content waiting to be written to the current page, one string per line. */
  private pending: string[] = []
  /** The fill colour set on the page by this typesetter; null when something else may have changed it. */
  private pageColor: string | null = null

  constructor(
    private readonly pdf: Pdf,
    private readonly fonts: Readonly<Record<FontName, PdfFont>>,
  ) {}

  readonly measure = (style: TextStyle, text: string): number => (this.encoded(style.font, text).advance * style.size) / 1000

  /** `text` as one line, however wide. */
  line(runs: readonly StyledText<TextStyle>[]): TextLine {
    const oneLine = runs.map((run) => ({ ...run, text: run.text.replace(/\n/g, ' ') }))
    return breakLines(oneLine, Infinity, this.measure)[0] ?? { fragments: [], width: 0 }
  }

  /** `text` as one line, cut short with an ellipsis where it would be wider than `maxWidth`. */
  fittedLine(text: string, style: TextStyle, maxWidth: number): TextLine {
    const whole = this.line([{ text, style }])
    if (whole.width <= maxWidth) return whole
    const characters = Array.from(text)
    const shortened = (count: number) => this.line([{ text: `${characters.slice(0, count).join('').trimEnd()}…`, style }])
    let [fits, tooWide] = [0, characters.length]
    while (tooWide - fits > 1) {
      const middle = (fits + tooWide) >> 1
      if (shortened(middle).width <= maxWidth) fits = middle
      else tooWide = middle
    }
    return shortened(fits)
  }

  /** Draws `line` with its top at `top`, on the current page. */
  drawLine(line: TextLine, left: number, top: number): void {
    this.pageColor = null
    this.draw(line, left, top)
    this.flush()
  }

  /**
   * Flows `runs` from the document's current position, onto new pages as needed, and leaves the
   * position, font and size where pdfkit's `text()` would have left them.
   */
  paragraph(runs: readonly StyledText<TextStyle>[], { left, width, lineGap, marker }: Paragraph): void {
    const { pdf } = this
    const lines = breakLines(runs, width, this.measure)
    const last = runs[runs.length - 1]?.style
    if (last === undefined) return
    this.pageColor = null
    let top = pdf.y
    lines.forEach((line, index) => {
      const height = this.lineHeight(line, last)
      if (top + height > pdf.page.maxY()) {
        this.flush()
        pdf.addPage()
        this.pageColor = null
        top = pdf.y
      }
      if (index === 0 && marker) this.draw(this.line([marker]), marker.left, top)
      this.draw(line, left, top)
      top += height + lineGap
    })
    this.flush()
    pdf.font(last.font).fontSize(last.size)
    pdf.x = left
    pdf.y = top
  }

  /** By the line's last font, as pdfkit spaced lines, so pages break where they did. */
  private lineHeight(line: TextLine, fallback: TextStyle): number {
    const style = line.fragments[line.fragments.length - 1]?.style ?? fallback
    return this.fonts[style.font].lineHeight(style.size, true)
  }

  private draw(line: TextLine, left: number, top: number): void {
    if (line.fragments.length === 0) return
    const pageFonts = this.pdf.page.fonts as Record<string, unknown>
    const operators = ['BT']
    const marks: string[] = []
    let x = left
    for (const { style, parts, width } of line.fragments) {
      const font = this.fonts[style.font]
      pageFonts[font.id] ??= font.ref()
      if (this.pageColor !== style.color) {
        operators.push(`${this.colorOf(style.color)} rg`)
        this.pageColor = style.color
      }
      const baseline = top + (font.ascender / 1000) * style.size
      operators.push(`/${font.id} ${number(style.size)} Tf`, textMatrix(x, baseline))
      this.glyphs(operators, style, parts, x, baseline)
      const height = font.lineHeight(style.size)
      const thickness = style.size < 10 ? 0.5 : Math.floor(style.size / 10)
      if (style.underline) marks.push(rule(this.colorOf(style.color), thickness, x, x + width, top + height - thickness))
      if (style.strike) marks.push(rule(this.colorOf(style.color), thickness, x, x + width, top + height / 2))
      if (style.link !== null) this.pdf.link(x, top, width, height, style.link)
      x += width
    }
    operators.push('ET', ...marks)
    this.pending.push(operators.join('\n'))
  }

  /** The TJ operators for `parts` from `x` on the baseline (a text matrix is already set there). */
  private glyphs(operators: string[], style: TextStyle, parts: readonly string[], x: number, baseline: number): void {
    const scale = style.size / 1000
    const operands: string[] = []
    /** Glyph bytes not yet closed into a string: neighbouring words share one. */
    let bytes = ''
    const writeTj = () => {
      if (bytes !== '') operands.push(`(${bytes})`)
      if (operands.length > 0) operators.push(`[${operands.join(' ')}] TJ`)
      operands.length = 0
      bytes = ''
    }
    for (const part of parts) {
      const word = this.encoded(style.font, part)
      if (word.operands !== null) {
        bytes += word.operands[0]
        for (let index = 1; index < word.operands.length; index += 2) {
          operands.push(`(${bytes})`, word.operands[index]!)
          bytes = word.operands[index + 1]!
        }
      } else {
        writeTj()
        let pen = x
        for (const glyph of word.glyphs) {
          operators.push(textMatrix(pen + glyph.xOffset * scale, baseline - glyph.yOffset * scale), `[(${glyph.bytes})] TJ`)
          pen += glyph.xAdvance * scale
        }
        operators.push(textMatrix(pen, baseline))
      }
      x += word.advance * scale
    }
    writeTj()
  }

  private encoded(fontName: FontName, text: string): EncodedWord {
    let words = this.words.get(fontName)
    if (words === undefined) {
      words = new Map()
      this.words.set(fontName, words)
    }
    let word = words.get(text)
    if (word === undefined) {
      word = encode(this.fonts[fontName], text)
      words.set(text, word)
    }
    return word
  }

  private colorOf(hex: string): string {
    let operands = this.colors.get(hex)
    if (operands === undefined) {
      const value = Number.parseInt(hex.slice(1), 16)
      operands = [value >> 16, (value >> 8) & 0xff, value & 0xff].map((channel) => String(Math.round((channel / 255) * 1e6) / 1e6)).join(' ')
      this.colors.set(hex, operands)
    }
    return operands
  }

  private flush(): void {
    if (this.pending.length === 0) return
    this.pdf.addContent(this.pending.join('\n'))
    this.pending = []
  }
}

function encode(font: PdfFont, text: string): EncodedWord {
  const [codes, positions] = font.encode(text)
  const operands: string[] = []
  const glyphs: EncodedWord['glyphs'] = []
  let advance = 0
  let onBaseline = true
  let bytes = ''
  codes.forEach((code, index) => {
    const { xAdvance, xOffset, yOffset, advanceWidth } = positions[index]!
    const glyph = glyphBytes(code)
    glyphs.push({ bytes: glyph, xAdvance, xOffset, yOffset })
    advance += xAdvance
    if (xOffset !== 0 || yOffset !== 0) onBaseline = false
    bytes += glyph
    // Kerning: the PDF advances each glyph by its own width, so any other advance is written out.
    if (xAdvance !== advanceWidth) {
      operands.push(bytes, number(advanceWidth - xAdvance))
      bytes = ''
    }
  })
  operands.push(bytes)
  return onBaseline ? { advance, operands, glyphs: [] } : { advance, operands: null, glyphs }
}

/** Bytes that cannot stand for themselves in a PDF string (line ends would be read as '\n'). */
const ESCAPED: Record<number, string> = { 0x0a: '\\n', 0x0d: '\\r', 0x28: '\\(', 0x29: '\\)', 0x5c: '\\\\' }
const BYTES = Array.from({ length: 256 }, (_, byte) => ESCAPED[byte] ?? String.fromCharCode(byte))

/**
 * A glyph's two-byte code (pdfkit gives it as four hex digits) as PDF string contents: half the
 * size of hex strings, and a long PDF spent most of its compressing time on its text.
 */
function glyphBytes(code: string): string {
  const id = Number.parseInt(code, 16)
  return BYTES[id >> 8]! + BYTES[id & 0xff]!
}

/** A number as PDF operators take it: at most three decimals. */
export const number = (value: number) => String(Math.round(value * 1000) / 1000)

/**
 * pdfkit's pages are drawn with y pointing down; the text matrix turns the glyphs the right way
 * up again (pdfkit does it with a transformation around every piece of text).
 */
const textMatrix = (x: number, baseline: number) => `1 0 0 -1 ${number(x)} ${number(baseline)} Tm`

const rule = (color: string, thickness: number, from: number, to: number, y: number) =>
  `q ${color} RG ${number(thickness)} w ${number(from)} ${number(y)} m ${number(to)} ${number(y)} l S Q`
