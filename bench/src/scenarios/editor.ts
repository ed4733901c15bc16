/**
 * Scenario 7: typing into the 100,000-word MOU in Chromium while remote collaborators' carets
 * move, then again while another drafter types too; in two shapes of MOU, every paragraph a
 * child of the document (the worst case for an editor) and paragraphs in clauses, as Accord's
 * editor and clause library build one (see load/history.ts). Keystroke-to-paint is timed in the page:
 * from the key event's timestamp to the first task after the next animation frame, the usual
 * stand-in for "the frame that shows the character". Accord only: the peers have no editor.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import type { Generator } from '../generator.js'
import type { DocumentStructure } from '../load/history.js'
import type { MetricDef, RunMetrics } from '../metrics.js'
import { waitForQuiet } from '../quiet.js'
import { AccordServer } from '../servers/accord.js'
import type { BenchServer, Seat } from '../servers/types.js'
import { quantiles } from '../stats.js'

export interface EditorParams {
  words: number
  authors: number
  burst: number
  seed: number
  carets: number
  caretIntervalMs: number
  keystrokes: number
  /** A remote drafter's keystrokes during the second pass: one every this many ms. */
  remoteTypingIntervalMs: number
  maxBuildMs: number
  /** The shapes of MOU typed into (see DOCUMENTS). */
  structures: DocumentStructure[]
}

/** The two shapes of the MOU typed into, and the prefix of their rows. */
const DOCUMENTS: { structure: DocumentStructure; prefix: string; title: string }[] = [
  { structure: 'paragraphs', prefix: 'editor', title: 'Large MOU' },
  { structure: 'clauses', prefix: 'editor.clauses', title: 'Large MOU in clauses' },
]

const documentsOf = (params: EditorParams) => DOCUMENTS.filter(({ structure }) => params.structures.includes(structure))

export function editorMetrics(params: EditorParams): MetricDef[] {
  const words = `${Math.round(params.words / 1000)}k-word MOU`
  const shapes: Record<DocumentStructure, string> = {
    paragraphs: `editor, ${words} of top-level paragraphs, ${params.carets} remote carets`,
    clauses: `editor, ${words} in clauses, ${params.carets} remote carets`,
  }
  const timing = (id: string, label: string) => ({ id, label, unit: 'ms', better: 'lower' as const, digits: 1, accordOnly: true })
  return [
    ...documentsOf(params).flatMap(({ structure, prefix }) => {
      const what = shapes[structure]
      return [
        { id: `${prefix}.blocks`, label: `${what}: top-level blocks (children of the document)`, unit: '', better: 'info' as const, digits: 0, accordOnly: true },
        { id: `${prefix}.open`, label: `${what}: page opened → text shown`, unit: 'ms', better: 'lower' as const, digits: 0, accordOnly: true },
        ...(['p50', 'p95', 'max'] as const).map((stat) => timing(`${prefix}.${stat}`, `${what}: keystroke-to-paint ${stat}`)),
        ...(['p50', 'p95', 'max'] as const).map((stat) =>
          timing(`${prefix}.typist.${stat}`, `${what} and a drafter typing ${Math.round(1000 / params.remoteTypingIntervalMs)} keys/s: keystroke-to-paint ${stat}`),
        ),
        ...(['p50', 'p95'] as const).map((stat) =>
          timing(`${prefix}.floor.${stat}`, `${what}: floor, the same page's DOM and styles typed into with no editor code: keystroke-to-paint ${stat}`),
        ),
      ]
    }),
    ...(['p50', 'p95'] as const).map((stat) => timing(`editor.control.${stat}`, `control: a bare <textarea> in the same browser, timed the same way: keystroke-to-paint ${stat}`)),
  ]
}

const TYPED = ' and the parties shall meet each quarter'
const VIEWPORT = { width: 1280, height: 860 }
/**
 * The floor and the control measure Chromium alone: they start once the machine has settled
 * (the closed editor page's teardown kept a core busy for seconds: flat floor p50 7 ms at once,
 * 4 ms after it).
 */
const QUIET_WAIT_MS = 10_000
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

/** The server serves the built client; a fresh clone has none until `npm start` or this. */
function ensureClientBuilt(): void {
  if (fs.existsSync(path.join(ROOT, 'client/dist/index.html'))) return
  execFileSync('npm', ['run', 'build', '--workspace', 'client'], { cwd: ROOT, stdio: 'ignore' })
}

export async function runEditorScenario(server: BenchServer, generator: Generator, params: EditorParams, run: RunMetrics): Promise<void> {
  if (!(server instanceof AccordServer)) return
  ensureClientBuilt()
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  try {
    const { origin, cookie } = server.browserSession()
    const text = TYPED.repeat(Math.ceil(params.keystrokes / TYPED.length)).slice(0, params.keystrokes)
    for (const document of documentsOf(params)) {
      await inFreshContext(browser, async (context) => {
        await context.addCookies([{ ...cookie, url: origin }])
        await typeIntoDocument(server, generator, context, origin, document, text, params, run)
      })
    }

    // What the browser alone costs on this machine: the same keys into a bare <textarea>.
    const controlDelays = await inFreshContext(browser, async (context) => {
      const control = await context.newPage()
      await control.setContent('<textarea aria-label="control" style="width:40em;height:20em"></textarea>')
      await control.focus('textarea')
      await waitForQuiet(QUIET_WAIT_MS)
      await control.evaluate(recordKeystrokeDelays)
      return quantiles(await typeTimed(control, text))
    })
    Object.assign(run.values, { 'editor.control.p50': controlDelays.p50, 'editor.control.p95': controlDelays.p95 })
  } finally {
    await browser.close()
    await generator.call('closeAll', undefined)
  }
}

/** Builds one MOU, opens it with twenty carets moving, and times typing into it twice (the second time beside a remote typist). */
async function typeIntoDocument(
  server: AccordServer,
  generator: Generator,
  context: BrowserContext,
  origin: string,
  { structure, prefix, title }: (typeof DOCUMENTS)[number],
  text: string,
  params: EditorParams,
  run: RunMetrics,
): Promise<void> {
  const seats: Seat[] = [
    ...Array.from({ length: params.authors }, (_, index) => ({ role: 'drafter' as const, account: index })),
    ...Array.from({ length: params.carets }, (_, index) => ({ role: 'viewer' as const, account: index % 4 })),
  ]
  const [room] = await server.rooms(1, seats, title)
  const history = await generator.call(
    'buildHistory',
    { authors: room!.slice(0, params.authors), words: params.words, seed: params.seed, burst: params.burst, maxMs: params.maxBuildMs, structure },
    params.maxBuildMs + 60_000,
  )
  run.values[`${prefix}.blocks`] = history.topLevelBlocks
  await generator.call('releaseAuthors', { keep: 0 })
  await generator.call('startCarets', { endpoints: room!.slice(params.authors), intervalMs: params.caretIntervalMs, seed: params.seed }, 120_000)

  const page = await context.newPage()
  let pageWithoutScripts = ''
  try {
    const opened = performance.now()
    await page.goto(`${origin}/documents/${room![0]!.documentName}`)
    const editor = page.locator('.ProseMirror[contenteditable="true"]')
    await editor.waitFor({ timeout: 60_000 }).catch(async (error: Error) => {
      const shown = (await page.locator('body').innerText()).slice(0, 300).replace(/\s+/g, ' ')
      throw new Error(`the editor did not open (${error.message.split('\n')[0]}); the page showed: ${shown}`)
    })
    await page.waitForFunction(() => (document.querySelector('.ProseMirror')?.textContent?.length ?? 0) > 100_000, null, { timeout: 60_000 })
    run.values[`${prefix}.open`] = performance.now() - opened

    await putCaretInMiddleParagraph(editor)
    await page.evaluate(recordKeystrokeDelays)
    // BENCH_EDITOR_PROFILE=<file>: a V8 CPU profile of the page over both passes, for DevTools, of one
    // shape (BENCH_EDITOR_SHAPE: paragraphs, the default, or clauses).
    const profiled = structure === (process.env.BENCH_EDITOR_SHAPE ?? 'paragraphs')
    const profileFile = profiled ? process.env.BENCH_EDITOR_PROFILE : undefined
    const cdp = profileFile ? await context.newCDPSession(page) : null
    await cdp?.send('Profiler.enable')
    await cdp?.send('Profiler.start')
    const traceFile = profiled ? process.env.BENCH_EDITOR_TRACE : undefined
    if (traceFile) await context.browser()!.startTracing(page, { path: traceFile, categories: ['devtools.timeline', 'blink', 'v8'] })
    const typeAndTime = async () => {
      const delays = await typeTimed(page, text)
      if (!(await editor.textContent())?.includes(text.slice(-12))) run.notes.push(`${title}: the typed text did not appear in the editor`)
      return delays
    }
    const delays = await typeAndTime()
    const alone = quantiles(delays)
    Object.assign(run.values, { [`${prefix}.p50`]: alone.p50, [`${prefix}.p95`]: alone.p95, [`${prefix}.max`]: alone.max })
    run.details[`${prefix}.keystrokeDelays`] = delays

    // The same while another drafter types at the end of the document, as in a meeting.
    await generator.call('startTypist', { endpoint: room![0]!, intervalMs: params.remoteTypingIntervalMs }, 60_000)
    const withTypist = quantiles(await typeAndTime())
    if (traceFile) await context.browser()!.stopTracing()
    if (cdp && profileFile) fs.writeFileSync(profileFile, JSON.stringify((await cdp.send('Profiler.stop')).profile))
    Object.assign(run.values, { [`${prefix}.typist.p50`]: withTypist.p50, [`${prefix}.typist.p95`]: withTypist.p95, [`${prefix}.typist.max`]: withTypist.max })
    pageWithoutScripts = await copyWithoutScripts(page)
  } finally {
    // Carets, typist and authors stop, and the page closes, before anything else is timed.
    await generator.call('closeAll', undefined)
    await page.close()
  }
  const floor = quantiles(await inFreshContext(context.browser()!, (fresh) => typeWithoutEditorCode(fresh, origin, pageWithoutScripts, text)))
  Object.assign(run.values, { [`${prefix}.floor.p50`]: floor.p50, [`${prefix}.floor.p95`]: floor.p95 })
}

type TimedWindow = Window & { keystrokeDelays: number[] }

/** The caret at the end of a paragraph in the middle of the document, scrolled into view. */
async function putCaretInMiddleParagraph(editable: Locator): Promise<void> {
  await editable.evaluate((element) => {
    const paragraphs = element.querySelectorAll('p')
    const target = paragraphs[Math.floor(paragraphs.length / 2)]!
    target.scrollIntoView({ block: 'center' })
    const range = document.createRange()
    range.selectNodeContents(target)
    range.collapse(false)
    const selection = window.getSelection()!
    selection.removeAllRanges()
    selection.addRange(range)
  })
  await editable.focus()
}

/** The page as it stands (DOM, stylesheets, the text typed so far) without its scripts. */
function copyWithoutScripts(page: Page): Promise<string> {
  return page.evaluate(() => {
    const copy = document.documentElement.cloneNode(true) as HTMLElement
    copy.querySelectorAll('script, link[rel="modulepreload"]').forEach((script) => script.remove())
    return copy.outerHTML
  })
}

/**
 * What Chromium alone costs for this document: the editor's page copied without its scripts
 * (the same DOM, stylesheets and layout, `content-visibility` included), so the text is a bare
 * contenteditable, typed into the same way with nothing else running. No editor code runs and
 * no caret moves: the editor's keystroke-to-paint cannot be below this on this machine.
 */
async function typeWithoutEditorCode(context: BrowserContext, origin: string, html: string, text: string): Promise<number[]> {
  const page = await context.newPage()
  // Written into a page of the server's origin, so its stylesheets load as they did for the editor.
  await page.goto(`${origin}/readyz`)
  await page.setContent(html, { waitUntil: 'load' })
  const editable = page.locator('.ProseMirror[contenteditable="true"]')
  if (!(await editable.evaluate((element) => getComputedStyle(element.firstElementChild!).contentVisibility === 'auto'))) {
    throw new Error("the copied page did not get the editor's styles")
  }
  await putCaretInMiddleParagraph(editable)
  await waitForQuiet(QUIET_WAIT_MS)
  await page.evaluate(recordKeystrokeDelays)
  return typeTimed(page, text)
}

/** Each page is timed in a browser context of its own, so a closed page's memory is not collected while the next one is timed. */
async function inFreshContext<T>(browser: Browser, use: (context: BrowserContext) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: VIEWPORT })
  try {
    return await use(context)
  } finally {
    await context.close()
  }
}

/** Types `text` as a fast typist does (10 keys a second) and returns each key's delay (see `recordKeystrokeDelays`). */
async function typeTimed(page: Page, text: string): Promise<number[]> {
  await page.evaluate(() => ((window as unknown as TimedWindow).keystrokeDelays.length = 0))
  await page.keyboard.type(text, { delay: 100 })
  await page.waitForFunction((count) => (window as unknown as TimedWindow).keystrokeDelays.length >= count, text.length)
  return page.evaluate(() => (window as unknown as TimedWindow).keystrokeDelays)
}

/**
 * In the page: each keystroke's delay from its key event to the first task after the next
 * animation frame, into `window.keystrokeDelays`.
 */
function recordKeystrokeDelays(): void {
  const delays: number[] = []
  Object.assign(window, { keystrokeDelays: delays })
  document.addEventListener(
    'keydown',
    (event) => {
      const pressed = event.timeStamp
      requestAnimationFrame(() => setTimeout(() => delays.push(performance.now() - pressed), 0))
    },
    true,
  )
}
