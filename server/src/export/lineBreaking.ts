/** Text in one style. The style means nothing here: pieces in the same style object share a fragment. */
export interface StyledText<Style> {
  text: string
  style: Style
}

/** A stretch of one line in one style: the units it was measured in, to be drawn in that order. */
export interface LineFragment<Style> {
  style: Style
  parts: string[]
  width: number
}

export interface Line<Style> {
  fragments: LineFragment<Style>[]
  width: number
}

/** The advance of `text` in `style`; lines are measured and drawn in the same units. */
export type Measure<Style> = (style: Style, text: string) => number

interface Piece<Style> {
  style: Style
  text: string
  width: number
}

/**
 * Greedy line breaking, the way pdfkit broke lines before: a line breaks after spaces (and after
 * a hyphen between two letters), '\n' always breaks, a word fits when it fits with its trailing
 * space, and a word wider than a whole line is split between characters.
 */
export function breakLines<Style>(runs: readonly StyledText<Style>[], maxWidth: number, measure: Measure<Style>): Line<Style>[] {
  const lines: Line<Style>[] = []
  let line: Line<Style> = { fragments: [], width: 0 }
  /** The word being read: pieces with no break between them (a word may change style midway). */
  let word: Piece<Style>[] = []
  let wordWidth = 0

  const endLine = () => {
    lines.push(line)
    line = { fragments: [], width: 0 }
  }
  const placeWord = () => {
    if (word.length === 0) return
    if (line.width + wordWidth > maxWidth && line.fragments.length > 0) endLine()
    if (wordWidth > maxWidth) splitOverlong(word)
    else for (const piece of word) append(line, piece.style, piece.text, piece.width)
    word = []
    wordWidth = 0
  }
  const splitOverlong = (pieces: readonly Piece<Style>[]) => {
    for (const piece of pieces) {
      for (const character of characters(piece.text)) {
        const width = measure(piece.style, character)
        if (line.width + width > maxWidth && line.fragments.length > 0) endLine()
        append(line, piece.style, character, width)
      }
    }
  }

  for (const run of runs) {
    const segments = run.text.split('\n')
    segments.forEach((segment, index) => {
      if (index > 0) {
        placeWord()
        endLine()
      }
      forEachWordPart(segment, (text, breakAfter) => {
        const width = measure(run.style, text)
        word.push({ style: run.style, text, width })
        wordWidth += width
        if (breakAfter) placeWord()
      })
    })
  }
  placeWord()
  if (line.fragments.length > 0) endLine()
  return lines
}

function append<Style>(line: Line<Style>, style: Style, text: string, width: number): void {
  const last = line.fragments[line.fragments.length - 1]
  if (last?.style === style) {
    last.parts.push(text)
    last.width += width
  } else {
    line.fragments.push({ style, parts: [text], width })
  }
  line.width += width
}

const SPACE = 0x20
const TAB = 0x09
const LETTER = /\p{L}/u

const isSpace = (code: number) => code === SPACE || code === TAB
/** Hyphen-minus, hyphen, en dash, em dash. */
const isHyphen = (code: number) => code === 0x2d || code === 0x2010 || code === 0x2013 || code === 0x2014

/**
 * Calls `visit` with each part of `text` that ends where a line may break (after its trailing
 * spaces, or after a hyphen between letters: "de-" "escalation"), and with the rest, which may
 * continue into the next run.
 */
function forEachWordPart(text: string, visit: (part: string, breakAfter: boolean) => void): void {
  let start = 0
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (isSpace(code)) {
      let end = index + 1
      while (end < text.length && isSpace(text.charCodeAt(end))) end++
      visit(text.slice(start, end), true)
      start = end
      index = end - 1
    } else if (isHyphen(code) && index > start && LETTER.test(text[index - 1]!) && LETTER.test(text[index + 1] ?? '')) {
      visit(text.slice(start, index + 1), true)
      start = index + 1
    }
  }
  if (start < text.length) visit(text.slice(start), false)
}

const MARK = /\p{M}/u

/** `text` split between user-perceived characters (a combining mark stays with its letter). */
function characters(text: string): string[] {
  const result: string[] = []
  for (const character of text) {
    if (result.length > 0 && MARK.test(character)) result[result.length - 1] += character
    else result.push(character)
  }
  return result
}
