import fs from 'node:fs'
import { createRequire } from 'node:module'
import PDFDocument from 'pdfkit'

type Pdf = PDFKit.PDFDocument

export type FontName = 'regular' | 'bold' | 'italic' | 'boldItalic' | 'sans' | 'sansBold'

/**
 * DejaVu (Latin, Vietnamese, Greek, Cyrillic…), shipped by an npm package so every machine has
 * it, read once here: the renderer itself opens no file and no URL.
 */
const FILES: Record<FontName, string> = {
  regular: 'DejaVuSerif.ttf',
  bold: 'DejaVuSerif-Bold.ttf',
  italic: 'DejaVuSerif-Italic.ttf',
  boldItalic: 'DejaVuSerif-BoldItalic.ttf',
  sans: 'DejaVuSans.ttf',
  sansBold: 'DejaVuSans-Bold.ttf',
}

const FONT_NAMES = Object.keys(FILES) as FontName[]

export type PathCommand = { command: 'moveTo' | 'lineTo' | 'quadraticCurveTo' | 'bezierCurveTo' | 'closePath'; args: number[] }

/** A parsed font file (fontkit's, as pdfkit holds it). */
export interface GlyphFont {
  unitsPerEm: number
  layout(text: string): { glyphs: { path: { commands: PathCommand[] } }[]; positions: { xAdvance: number }[] }
}

/** Where pdfkit places a glyph, in thousandths of the font size. */
export interface GlyphPosition {
  xAdvance: number
  xOffset: number
  yOffset: number
  /** The glyph's own advance, which the PDF's width table gives it. */
  advanceWidth: number
}

/**
 * pdfkit's font in one document (its internal EmbeddedFont): `encode` shapes text, adds the
 * glyphs to the document's subset and returns their codes (4 hex digits each) and positions.
 */
export interface PdfFont {
  id: string
  /** In thousandths of the font size. */
  ascender: number
  font: GlyphFont
  encode(text: string): [string[], GlyphPosition[]]
  lineHeight(size: number, includeGap?: boolean): number
  ref(): unknown
  layoutCache?: Record<string, unknown>
}

/**
 * Each font file parsed once per worker, not once per document: pdfkit takes a parsed font in
 * place of bytes, and parsing six fonts (their layout tables, on first use) cost about 50 ms an
 * export. pdfkit still makes a fresh subset of it in every document.
 */
const parsed: Record<FontName, GlyphFont> = (() => {
  const require = createRequire(import.meta.url)
  const scratch = new PDFDocument({ font: null as unknown as string, autoFirstPage: false })
  const fonts = {} as Record<FontName, GlyphFont>
  for (const name of FONT_NAMES) {
    scratch.registerFont(name, fs.readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${FILES[name]}`)))
    fonts[name] = (scratch.font(name) as unknown as { _font: PdfFont })._font.font
  }
  return fonts
})()

/**
 * pdfkit shapes each space-separated word once per document and keeps the result by font; the
 * result depends on the font alone, so documents share it (shaping is ~30 µs a word, and a long
 * agreement has thousands of distinct words). Started afresh when it grows past this size.
 */
const SHAPED_WORDS_LIMIT = 20_000
const shapedWords = new Map<FontName, Record<string, unknown>>()

function shapedWordsOf(name: FontName): Record<string, unknown> {
  let cache = shapedWords.get(name)
  if (cache === undefined || Object.keys(cache).length > SHAPED_WORDS_LIMIT) {
    cache = Object.create(null) as Record<string, unknown>
    shapedWords.set(name, cache)
  }
  return cache
}

/** Registers the fonts in `pdf` under their names and returns pdfkit's font objects for them. */
export function openFonts(pdf: Pdf): Record<FontName, PdfFont> {
  const fonts = {} as Record<FontName, PdfFont>
  for (const name of FONT_NAMES) {
    // pdfkit takes a parsed font wherever it takes a font file (its types only list files).
    pdf.registerFont(name, parsed[name] as unknown as PDFKit.Mixins.PDFFontSource)
    const font = (pdf.font(name) as unknown as { _font: PdfFont })._font
    if (font.layoutCache !== undefined) font.layoutCache = shapedWordsOf(name)
    fonts[name] = font
  }
  return fonts
}
