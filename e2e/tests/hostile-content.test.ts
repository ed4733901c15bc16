import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Api, COMMITTEE, setUpAdmin } from '../fixtures/api.js'
import { documentText, launchBrowser, openDocument, screenshot } from '../fixtures/browser.js'
import { selectors } from '../fixtures/selectors.js'
import { startAccord, type AccordProcess } from '../fixtures/server.js'

// Journey: someone on the committee (or a stolen account) writes markup and script wherever
// the product shows words; it must show as words on every screen and never run. The pages run
// under the server's Content-Security-Policy, and the product itself must not trip it.
let accord: AccordProcess
let browser: Browser
let admin: Api
let documentId: string
let maria: Page
let mallory: Page

/** Each payload sets `window.__pwned` if it ever runs. */
const payload = (where: string) => `<img src=x onerror="window.__pwned='${where}'"><script>window.__pwned='${where}'</script>`
const TITLE = `MOU ${payload('title')}`
const MALLORY_NAME = `Mal ${payload('name')}`.slice(0, 80)
const VARIABLE_VALUE = `<svg onload="window.__pwned='variable'">`.slice(0, 300)
const QUOTE = `the ${payload('quote')} clause`
const TEMPLATE_TITLE = 'Data &lt;script&gt; sharing & "quotes"'

const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 5000 })

/** Listens, before any script of the page runs, for CSP violations and for payloads that ran. */
async function watch(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const violations: string[] = []
    ;(window as unknown as { __violations: string[] }).__violations = violations
    document.addEventListener('securitypolicyviolation', (event) => {
      violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`)
    })
  })
}

const pwned = (page: Page) => page.evaluate(() => (window as { __pwned?: unknown }).__pwned ?? null)
async function expectClean(): Promise<void> {
  for (const page of [maria, mallory]) {
    expect(await pwned(page)).toBeNull()
    expect(await violations(page)).toEqual([])
  }
}
/** The violations reported so far, forgetting them. */
const takeViolations = (page: Page) =>
  page.evaluate(() => (window as unknown as { __violations: string[] }).__violations.splice(0))
const violations = (page: Page) => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)

async function signedInWatched(username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
  const page = await context.newPage()
  await watch(page)
  page.on('pageerror', (error) => {
    throw error
  })
  await page.goto(accord.url)
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill('correct horse battery staple')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: 'Your documents' }).waitFor()
  return page
}

beforeAll(async () => {
  accord = await startAccord()
  admin = await setUpAdmin(accord.url, accord.setupUrl)
  documentId = (await admin.createDocument(TITLE, 'model')).id
  await admin.createPerson('maria', COMMITTEE.maria.displayName, COMMITTEE.maria.affiliation)
  await admin.createPerson('mallory', MALLORY_NAME, 'other')
  await admin.setRole(documentId, 'maria', 'owner')
  await admin.setRole(documentId, 'mallory', 'drafter')
  await admin.call('POST', '/templates', {
    title: TEMPLATE_TITLE,
    category: 'records',
    summary: 'Entities &amp; {{district}} stay as typed: 1 < 2 > 0.',
    body: ['The {{district}} keeps records; "&#60;b&#62;" is not bold.'],
  })
  const asMallory = new Api(accord.url)
  await asMallory.signIn('mallory')
  await asMallory.call('POST', `/documents/${documentId}/threads`, {
    body: 'This quote holds what the text said.',
    quote: QUOTE,
    anchor: { start: 'AQLs3Z6ZBRAA', end: 'AQLs3Z6ZBRcA', clauseId: null },
  })
  browser = await launchBrowser()
  maria = await signedInWatched('maria')
  mallory = await signedInWatched('mallory')
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await accord?.stop()
})

describe('hostile words, shown as words', () => {
  it('shows a scripted document title and display name as text, with no policy violation', async () => {
    await expect(maria.getByText(TITLE, { exact: true }).count()).resolves.toBeGreaterThan(0)
    await openDocument(maria, accord.url, documentId)
    await openDocument(mallory, accord.url, documentId)
    await expect(maria.getByRole('heading', { level: 1, name: TITLE }).count()).resolves.toBe(1)

    // Mallory types, so her caret (labelled with her name) shows on Maria's screen.
    await mallory.locator(selectors.documentText).locator('p').first().click()
    await mallory.keyboard.type(' Noted.')
    const label = maria.locator(selectors.remoteCaretLabel).first()
    await eventually(() => label.count()).toBe(1)
    await expect(label.evaluate((element) => element.textContent)).resolves.toBe(MALLORY_NAME)
    await expect(maria.locator(`${selectors.documentText} script, ${selectors.documentText} svg`).count()).resolves.toBe(0)

    // The caret's colour comes from a class (no inline style), and it is Mallory's affiliation's.
    await expect(maria.locator(`${selectors.documentText} img:not(.ProseMirror-separator)`).count()).resolves.toBe(0)
    const caret = maria.locator('.remote-caret').first()
    await expect(caret.getAttribute('style')).resolves.toBeNull()
    await expect(caret.evaluate((element) => getComputedStyle(element).borderLeftColor)).resolves.toBe('rgb(190, 24, 93)')
    await screenshot(maria, 'hostile-caret-label')
    await expectClean()
  })

  it('shows a scripted variable value as text in every place it fills', async () => {
    await mallory.getByRole('tab', { name: 'Variables' }).click()
    await mallory.getByRole('textbox', { name: 'District', exact: true }).fill(VARIABLE_VALUE)
    const values = () =>
      maria.locator(selectors.variable('district')).evaluateAll((chips) => chips.map((chip) => chip.getAttribute('data-value')))
    await eventually(async () => new Set(await values())).toEqual(new Set([VARIABLE_VALUE]))
    await expect(maria.locator(`${selectors.documentText} svg`).count()).resolves.toBe(0)
    await expectClean()
  })

  it('shows a quote holding markup as text in the comment thread', async () => {
    await maria.getByRole('tab', { name: /^Comments/ }).click()
    const quote = maria.locator(`.sidebar ${selectors.thread} q`).first()
    await eventually(() => quote.count()).toBe(1)
    await expect(quote.innerText()).resolves.toBe(QUOTE)
    await screenshot(maria, 'hostile-quote')
    await expectClean()
  })

  it('shows template text with entities literally in the library', async () => {
    await maria.getByRole('tab', { name: 'Library' }).click()
    const item = maria.locator(selectors.libraryItem, { hasText: 'Data &lt;script&gt;' })
    await eventually(() => item.count()).toBe(1)
    await expect(item.innerText()).resolves.toContain(TEMPLATE_TITLE)
    await expectClean()
  })

  it('drops script, event handlers and javascript: links from pasted HTML, and keeps its words and formatting', async () => {
    await expectClean()
    const paragraph = maria.locator(selectors.documentText).locator('p').first()
    await paragraph.click()
    await maria.keyboard.press('End')
    await maria.locator(selectors.documentText).evaluate((editor) => {
      const data = new DataTransfer()
      data.setData(
        'text/html',
        `<p>Pasted words <img src=x onerror="window.__pwned='paste'"><script>window.__pwned='paste'</script>` +
          `<a href="javascript:window.__pwned='link'">a trap</a> <a href="https://dpsk12.org">a real link</a> ` +
          `<span style="font-weight:700" onmouseover="window.__pwned='hover'">bolded</span></p>` +
          // Google Docs wraps a whole paste in a "not bold" <b>.
          `<b style="font-weight:normal" id="docs-internal-guid-1"><p><span style="font-weight:400">Plain from Docs</span> ` +
          `<span style="font-style:italic;text-decoration:underline">slanted</span></p></b>`,
      )
      data.setData('text/plain', 'Pasted words a trap a real link bolded')
      editor.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    })
    await eventually(() => documentText(maria)).toContain('Pasted words')
    const text = maria.locator(selectors.documentText)
    // ProseMirror's own line-end images (and the empty style attributes CSSOM leaves) aside,
    // nothing of the markup survives.
    await expect(text.locator('img:not(.ProseMirror-separator), script, [onerror], [onmouseover], [style]:not([style=""])').count()).resolves.toBe(0)
    const hrefs = await text.locator('a').evaluateAll((links) => links.map((link) => link.getAttribute('href')))
    expect(hrefs.some((href) => href?.toLowerCase().startsWith('javascript:'))).toBe(false)
    expect(hrefs).toContain('https://dpsk12.org')
    // A word processor's bold is a style attribute: the policy keeps it from applying, not from being read.
    await expect(text.locator('strong', { hasText: 'bolded' }).count()).resolves.toBe(1)
    await expect(text.locator('strong', { hasText: 'Plain from Docs' }).count()).resolves.toBe(0)
    await expect(text.locator('em u, u em', { hasText: 'slanted' }).count()).resolves.toBe(1)
    await eventually(() => documentText(mallory)).toContain('Pasted words')
    expect(await pwned(maria)).toBeNull()
    // Reading the clipboard's HTML parses its attributes in an inert document; Chromium reports
    // each inline handler and style it refused there. Those are the policy working, nothing else.
    const reported = await takeViolations(maria)
    expect(reported.length).toBeGreaterThan(0)
    for (const violation of reported) expect(violation).toMatch(/^(script-src-attr|style-src-attr) inline /)
    await expectClean()
  })

  it('previews an export of the hostile title in its sandboxed frame', async () => {
    await maria.getByRole('button', { name: 'Export' }).click()
    const frame = maria.locator('iframe.export-dialog__frame')
    await frame.waitFor()
    // The export runs in a worker thread, which may first have to start.
    await expect
      .poll(
        async () => {
          const content = maria.frames().find((candidate) => candidate.url().includes('/export?format=html'))
          return content ? content.locator('body').innerText().catch(() => '') : ''
        },
        { timeout: 20_000 },
      )
      .toContain('MOU <img')
    await screenshot(maria, 'hostile-export-preview')
    await maria.keyboard.press('Escape')
  })

  it('ran nothing, and the product itself caused no Content-Security-Policy violation', async () => {
    for (const page of [maria, mallory]) {
      expect(await pwned(page)).toBeNull()
      expect(await violations(page)).toEqual([])
    }
  })
})
