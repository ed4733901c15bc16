import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COMMITTEE, setUpAdmin, type Api } from '../fixtures/api.js'
import { countDocumentWrites, documentText, launchBrowser, openDocument, screenshot, selectText, signedInPage } from '../fixtures/browser.js'
import { selectors } from '../fixtures/selectors.js'
import { startAccord, type AccordProcess } from '../fixtures/server.js'

// Journey: a reviewer comments on a clause; the drafter answers, edits the text and resolves.
let accord: AccordProcess
let browser: Browser
let admin: Api
let documentId: string
let counsel: Page
let liaison: Page
let counselWrites: () => number

/** Live changes show within a second; the margin is for a busy test machine, not a promise. */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 5000 })

/** What an attacker would try: each sets a flag if it ever runs. */
const IMG_PAYLOAD = '<img src=x onerror="window.__pwned=1">'
const SCRIPT_PAYLOAD = '<script>window.__pwned=2</script>'
const MALLORY = { username: 'mallory', displayName: IMG_PAYLOAD }

beforeAll(async () => {
  accord = await startAccord()
  admin = await setUpAdmin(accord.url, accord.setupUrl)
  documentId = (await admin.createDocument('MOU: Denver Public Schools and Denver Police Department', 'model')).id
  for (const [username, role] of [['lee', 'drafter'], ['sam', 'reviewer']] as const) {
    await admin.createPerson(username, COMMITTEE[username].displayName, COMMITTEE[username].affiliation)
    await admin.setRole(documentId, username, role)
  }
  await admin.createPerson(MALLORY.username, MALLORY.displayName, 'other')
  await admin.setRole(documentId, MALLORY.username, 'reviewer')
  browser = await launchBrowser()
  counsel = await signedInPage(browser, accord.url, 'sam')
  counselWrites = countDocumentWrites(counsel)
  liaison = await signedInPage(browser, accord.url, 'lee')
})

afterAll(async () => {
  await browser?.close()
  await accord?.stop()
})

const threads = (page: Page) => page.locator(`.sidebar ${selectors.thread}`)
/** The highlighted text of each thread (another person's caret may split one highlight in two). */
const highlights = (page: Page, selector: string = selectors.commentHighlight) =>
  page.locator(selector).evaluateAll((elements) => {
    const byThread = new Map<string, string>()
    for (const element of elements) {
      const id = element.getAttribute('data-thread-id')!
      byThread.set(id, (byThread.get(id) ?? '') + (element as HTMLElement).innerText)
    }
    return [...byThread.values()]
  })
const pwned = (page: Page) => page.evaluate(() => (window as { __pwned?: unknown }).__pwned ?? null)

async function showComments(page: Page): Promise<void> {
  await page.getByRole('tab', { name: /^Comments/ }).click()
}

describe('a reviewer’s comment, answered by a drafter', () => {
  const PHRASE = 'Police have a narrow role'

  it('lets a reviewer with a read-only editor comment on a clause', async () => {
    await openDocument(counsel, accord.url, documentId)
    await openDocument(liaison, accord.url, documentId)
    await expect(counsel.locator(selectors.documentText).getAttribute('contenteditable')).resolves.toBe('false')
    // Reviewers see the comments first.
    await expect(counsel.getByRole('tab', { name: /^Comments/ }).getAttribute('aria-selected')).resolves.toBe('true')

    await selectText(counsel, PHRASE)
    await counsel.getByRole('button', { name: 'Comment', exact: true }).click()
    await counsel.getByLabel('Your comment on the selected text').fill('Should this also say who decides what counts as an emergency?')
    await counsel.getByRole('button', { name: 'Comment', exact: true }).last().click()

    await eventually(() => threads(counsel).count()).toBe(1)
    const thread = threads(counsel).first()
    await expect(thread.locator('q').first().innerText()).resolves.toBe(PHRASE)
    await expect(thread.locator(selectors.comment).innerText()).resolves.toMatch(/Sam Kline\s+Counsel[\s\S]*who decides/)
    await eventually(() => highlights(counsel)).toEqual([PHRASE])
    await expect(counsel.locator(selectors.openThreads).innerText()).resolves.toBe('1 open thread')
    await screenshot(counsel, 'comments-reviewer')
  })

  it('reaches the drafter live, who replies; the reviewer sees the reply live', async () => {
    await eventually(() => liaison.locator(selectors.openThreads).innerText()).toBe('1 open thread')
    await eventually(() => highlights(liaison)).toEqual([PHRASE])
    // Clicking the highlighted text focuses its thread in the sidebar.
    await liaison.locator(selectors.commentHighlight).click()
    const thread = threads(liaison).first()
    await eventually(() => thread.getAttribute('class')).toContain('thread--active')
    await thread.getByRole('button', { name: 'Reply' }).click()
    await liaison.getByLabel(/^Reply to Sam Kline/).fill('Good point; the next paragraph defines it. Adding a cross-reference.')
    await thread.getByRole('button', { name: 'Reply' }).click()

    await eventually(() => threads(counsel).first().locator(selectors.comment).count()).toBe(2)
    await expect(threads(counsel).first().locator(selectors.comment).nth(1).innerText()).resolves.toMatch(
      /Officer Lee\s+Police liaison[\s\S]*Adding a cross-reference/,
    )

    // An edit shows live, marked as edited.
    await thread.getByRole('button', { name: 'Edit your comment' }).click()
    await liaison.getByLabel('Edit your comment').fill('Good point; the next paragraph defines it.')
    await thread.getByRole('button', { name: 'Save' }).click()
    const reply = threads(counsel).first().locator(selectors.comment).nth(1)
    await eventually(() => reply.innerText()).toMatch(/edited[\s\S]*the next paragraph defines it\.$/)

    // A deleted comment leaves a tombstone on every screen.
    await threads(counsel).first().getByRole('button', { name: 'Reply' }).click()
    await counsel.getByLabel(/^Reply to Sam Kline/).fill('Posted too soon')
    await counsel.getByLabel(/^Reply to Sam Kline/).press('Control+Enter')
    await eventually(() => thread.locator(selectors.comment).count()).toBe(3)
    counsel.once('dialog', (dialog) => void dialog.accept())
    await threads(counsel).first().locator(selectors.comment).nth(2).getByRole('button', { name: 'Delete your comment' }).click()
    await eventually(() => thread.locator('[data-testid="comment-deleted"]').innerText()).toMatch(/^Comment deleted by its author, just now\.$/)
    expect(await thread.innerText()).not.toContain('Posted too soon')
  })

  it('keeps the highlight on the commented words while the drafter edits them', async () => {
    // The drafter types inside the commented words: the highlight grows with them on both screens.
    await selectText(liaison, PHRASE, 'Police have a '.length, 'Police have a '.length)
    await liaison.keyboard.type('very ')
    const edited = 'Police have a very narrow role'
    await eventually(() => highlights(liaison)).toEqual([edited])
    await eventually(() => highlights(counsel)).toEqual([edited])

    // Text typed before the commented words moves the highlight, and is not part of it.
    await selectText(liaison, edited, 0, 0)
    await liaison.keyboard.type('In short, ')
    await eventually(() => highlights(counsel)).toEqual([edited])
    await eventually(() => documentText(counsel)).toContain(`In short, ${edited}`)
    await screenshot(liaison, 'comments-drafter')
  })

  it('lets the drafter resolve the thread, and the reviewer sees the resolution live', async () => {
    const thread = threads(liaison).first()
    await thread.getByRole('button', { name: 'Resolve' }).click()
    await eventually(() => counsel.locator(selectors.threadResolution).allInnerTexts()).toEqual([
      expect.stringMatching(/^Resolved by Officer Lee/),
    ])
    await eventually(() => counsel.locator(selectors.openThreads).innerText()).toBe('0 open threads')
    // Resolved threads leave the text unmarked.
    await eventually(() => highlights(liaison)).toEqual([])
    await counsel.getByRole('combobox', { name: 'Show threads' }).selectOption('resolved')
    await eventually(() => threads(counsel).count()).toBe(1)
    await counsel.getByRole('combobox', { name: 'Show threads' }).selectOption('open')
  })
})

describe('a thread whose text was deleted', () => {
  const PHRASE = 'Contact between students and police should be rare'

  it('stays readable, shown as on deleted text', async () => {
    await selectText(counsel, PHRASE)
    await counsel.keyboard.press('Control+Alt+KeyM')
    await counsel.getByLabel('Your comment on the selected text').fill('Rare by what measure?')
    await counsel.getByLabel('Your comment on the selected text').press('Control+Enter')
    await eventually(() => highlights(liaison)).toEqual([PHRASE])

    await selectText(liaison, PHRASE)
    await liaison.keyboard.press('Backspace')
    await eventually(() => documentText(liaison)).not.toContain(PHRASE)

    for (const page of [counsel, liaison]) {
      await showComments(page)
      const thread = threads(page).filter({ hasText: 'Rare by what measure?' })
      await eventually(() => thread.locator(selectors.threadDeleted).count()).toBe(1)
      await expect(thread.locator('q').innerText()).resolves.toBe(PHRASE)
      await eventually(() => highlights(page)).toEqual([])
    }
    await screenshot(counsel, 'comments-on-deleted-text')
    // Selecting, commenting and following the text never wrote to the document from the reviewer's screen.
    expect(counselWrites()).toBe(0)
  })
})

describe('hostile text', () => {
  it('never runs: not in a comment, a name, a mention or the quoted text', async () => {
    // The drafter writes markup into the document itself; it is text there, and in a quote.
    await selectText(liaison, 'The parties share these principles', 0, 0)
    await liaison.keyboard.type(`${SCRIPT_PAYLOAD} `)
    await eventually(() => documentText(counsel)).toContain(`${SCRIPT_PAYLOAD} The parties`)

    // A comment that carries markup is refused, with a sentence saying why.
    await selectText(counsel, `${SCRIPT_PAYLOAD} The parties`)
    await counsel.getByRole('button', { name: 'Comment', exact: true }).click()
    const box = counsel.getByLabel('Your comment on the selected text')
    await box.fill(`Look ${IMG_PAYLOAD}`)
    await box.press('Control+Enter')
    await eventually(() => counsel.locator('.comments__new [role="alert"]').innerText()).toBe(
      'A comment may not contain HTML, scripts or control characters.',
    )

    // A mention of the member whose name is a payload, picked from the suggestions.
    await box.fill('Asking ')
    await box.pressSequentially('@mall')
    await counsel.getByRole('option', { name: /@mallory/ }).waitFor()
    await screenshot(counsel, 'comments-mention-suggestions')
    await counsel.getByRole('option', { name: /@mallory/ }).click()
    await box.pressSequentially('to check this.')
    await box.press('Control+Enter')
    const thread = threads(counsel).filter({ hasText: 'to check this.' })
    await eventually(() => thread.count()).toBe(1)
    await expect(thread.locator('.mention').innerText()).resolves.toBe('@mallory')
    await expect(thread.locator('q').innerText()).resolves.toBe(`${SCRIPT_PAYLOAD} The parties`)

    // Mallory (whose name is the payload) replies; her name shows as text on every screen.
    const mallory = await signedInPage(browser, accord.url, 'mallory')
    await mallory.locator(selectors.inboxButton).click()
    await eventually(() => mallory.locator(selectors.inboxItem).count()).toBe(1)
    await mallory.locator(selectors.inboxItem).click()
    await mallory.locator(selectors.documentText).waitFor()
    const inMallorys = threads(mallory).filter({ hasText: 'to check this.' })
    await eventually(() => inMallorys.getAttribute('class')).toContain('thread--active')
    await inMallorys.getByRole('button', { name: 'Reply' }).click()
    await mallory.getByLabel(/^Reply to Sam Kline/).fill('Checked.')
    await inMallorys.getByRole('button', { name: 'Reply' }).click()

    for (const page of [counsel, liaison, mallory]) {
      await showComments(page)
      const reply = threads(page).filter({ hasText: 'Checked.' }).locator(selectors.comment).last()
      await eventually(() => reply.locator('.comment__author').innerText()).toBe(IMG_PAYLOAD)
      await expect(page.locator('.sidebar img').count()).resolves.toBe(0)
      await expect(pwned(page)).resolves.toBeNull()
    }
    await screenshot(counsel, 'comments-hostile-text')
  })
})

describe('the Inbox', () => {
  it('lists a reply to one’s thread, unread until opened', async () => {
    // Replies arrived while the page was open: the count follows without a reload.
    await eventually(() => counsel.locator(selectors.inboxButton).getAttribute('aria-label')).toMatch(
      /^Inbox, \d+ unread$/,
    )
    await counsel.locator(selectors.inboxButton).click()
    const item = counsel.locator(selectors.inboxItem).filter({ hasText: 'Checked.' })
    await expect(item.innerText()).resolves.toContain('replied in your thread')
    await screenshot(counsel, 'comments-inbox')
    await item.click()
    await eventually(() => counsel.url()).toContain('?thread=')
    // The thread it is about is focused, and so is its text.
    const active = counsel.locator('.sidebar .thread--active')
    await eventually(() => active.locator('q').innerText()).toBe(`${SCRIPT_PAYLOAD} The parties`)
    await eventually(() => highlights(counsel, '.comment-highlight--active')).toEqual([`${SCRIPT_PAYLOAD} The parties`])
    await counsel.locator(selectors.inboxButton).click()
    await expect(counsel.locator(selectors.inboxItem).filter({ hasText: 'Checked.' }).getAttribute('class')).resolves.not.toContain(
      'unread',
    )
    await counsel.keyboard.press('Escape')
  })
})

describe('on a phone', () => {
  it('shows the comments below the text, without sideways scrolling', async () => {
    const phone = await signedInPage(browser, accord.url, 'sam', { width: 390, height: 844 })
    await openDocument(phone, accord.url, documentId)
    await phone.locator(selectors.openThreads).click()
    await eventually(() => threads(phone).count()).toBeGreaterThan(0)
    // The count takes the reader to the comments, which sit below the text.
    const inView = () => threads(phone).first().evaluate((element) => element.getBoundingClientRect().top < window.innerHeight)
    await eventually(inView).toBe(true)
    await screenshot(phone, 'comments-phone')
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
  })
})
