import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { committeeDocument, setUpAdmin, type Api } from '../fixtures/api.js'
import {
  awarenessClientsSent,
  canHoldIncomingMessages,
  countDocumentWrites,
  deliverHeldMessages,
  documentText,
  heldUpdateCount,
  holdIncomingMessages,
  launchBrowser,
  openDocument,
  paragraphTexts,
  screenshot,
  selectText,
  signedInPage,
} from '../fixtures/browser.js'
import { selectors } from '../fixtures/selectors.js'
import { startAccord, type AccordProcess } from '../fixtures/server.js'

// Journey 2: the first drafting meeting. Each person has their own browser context.
let accord: AccordProcess
let browser: Browser
let admin: Api
let documentId: string
let board: Page
let liaison: Page
let counsel: Page
let boardCaretsSent: () => Set<number>

const text = documentText
const paragraphs = paragraphTexts
/** The paragraph of the text on `page` that holds `words`. */
const paragraph = (page: Page, words: string) => page.locator(`${selectors.documentText} p`, { hasText: words })

beforeAll(async () => {
  accord = await startAccord()
  admin = await setUpAdmin(accord.url, accord.setupUrl)
  documentId = await committeeDocument(admin, 'MOU: Denver Public Schools and Denver Police Department', {
    maria: 'owner',
    lee: 'drafter',
    sam: 'reviewer',
  })
  browser = await launchBrowser()
  board = await signedInPage(browser, accord.url, 'maria')
  boardCaretsSent = awarenessClientsSent(board)
  liaison = await signedInPage(browser, accord.url, 'lee')
  await canHoldIncomingMessages(liaison)
})

afterAll(async () => {
  await browser?.close()
  await accord?.stop()
})

describe('two drafters in one paragraph', () => {
  it('converge on the same text, with nobody’s words lost', async () => {
    await openDocument(board, accord.url, documentId)
    await openDocument(liaison, accord.url, documentId)

    await board.locator(selectors.documentText).click()
    await board.keyboard.type('Purpose.')
    await expect.poll(() => text(liaison)).toContain('Purpose.')

    // One types at the start of the paragraph while the other types at its end, at once.
    await liaison.locator(selectors.documentText).click()
    await liaison.keyboard.press('Home')
    await Promise.all([
      board.keyboard.type(' The District limits police to emergencies.', { delay: 15 }),
      liaison.keyboard.type('Officers train in de-escalation. ', { delay: 15 }),
    ])

    const expected = 'Officers train in de-escalation. Purpose. The District limits police to emergencies.'
    await expect.poll(() => text(board), { timeout: 5000 }).toBe(expected)
    await expect.poll(() => text(liaison), { timeout: 5000 }).toBe(expected)
    await expect.poll(() => board.locator(selectors.saveStatus).innerText()).toBe('Saved')
    await expect.poll(() => liaison.locator(selectors.saveStatus).innerText()).toBe('Saved')
  })

  it('shows each person the other’s caret, named', async () => {
    await liaison.locator(selectors.documentText).click()
    await board.locator(selectors.documentText).click()
    await expect.poll(() => board.locator(selectors.remoteCaretLabel).allInnerTexts()).toContain('Officer Lee')
    await expect.poll(() => liaison.locator(selectors.remoteCaretLabel).allInnerTexts()).toContain('Maria Ortega')
    await expect.poll(() => board.getByRole('group', { name: /Here now/ }).getAttribute('aria-label')).toContain('Officer Lee')
    await screenshot(board, 'drafting-board-member')
    await screenshot(liaison, 'drafting-police-liaison')
  })
})

describe('carets and undo in a shared document', () => {
  it('places the other person’s caret where they are, and moves it as they move', async () => {
    await board.locator(selectors.documentText).click()
    await board.keyboard.press('Control+End')
    await board.keyboard.press('Enter')
    await board.keyboard.type('Scope of the agreement.')
    await expect.poll(() => text(liaison)).toContain('Scope of the agreement.')

    await paragraph(liaison, 'Scope of the agreement.').click()
    await liaison.keyboard.press('End')
    await expect.poll(() => paragraph(board, 'Scope of the agreement.').locator(selectors.remoteCaretLabel).allInnerTexts()).toEqual(['Officer Lee'])
    await paragraph(liaison, 'Officers train').click()
    await liaison.keyboard.press('Control+Home')
    await expect.poll(() => paragraph(board, 'Officers train').locator(selectors.remoteCaretLabel).allInnerTexts()).toEqual(['Officer Lee'])
    await expect.poll(() => paragraph(board, 'Scope of the agreement.').locator(selectors.remoteCaretLabel).count()).toBe(0)
    // Each screen sends its own caret only, not the others' it shows.
    expect(boardCaretsSent().size).toBe(1)
  })

  it('undoes and redoes only one’s own typing', async () => {
    // Typing within half a second of earlier typing joins its undo step (Yjs' captureTimeout),
    // as in any editor: this typing starts after a pause.
    await board.waitForTimeout(600)
    await board.locator(`${selectors.documentText} p`, { hasText: 'Scope of the agreement.' }).click()
    await board.keyboard.press('End')
    await board.keyboard.type(' Undo me.')
    await liaison.keyboard.type('Trained. ')
    await expect.poll(() => text(board)).toContain('Trained. Officers train')
    await expect.poll(() => text(liaison)).toContain('Undo me.')

    const undoButton = board.getByRole('button', { name: /^Undo/ })
    const redoButton = board.getByRole('button', { name: /^Redo/ })
    await expect.poll(() => undoButton.isEnabled()).toBe(true)
    await expect.poll(() => redoButton.isEnabled()).toBe(false)
    await board.keyboard.press('Control+z')
    await expect.poll(() => text(board)).not.toContain('Undo me.')
    await expect.poll(() => text(liaison)).not.toContain('Undo me.')
    await expect.poll(() => redoButton.isEnabled()).toBe(true)
    expect(await text(board)).toContain('Trained. Officers train')
    expect(await text(board)).toContain('Scope of the agreement.')

    await board.keyboard.press('Control+Shift+z')
    await expect.poll(() => text(board)).toContain('Scope of the agreement. Undo me.')
    await expect.poll(() => text(liaison)).toContain('Scope of the agreement. Undo me.')

    // Undo puts the caret back where the undone typing began.
    await board.keyboard.press('Control+z')
    await expect.poll(() => text(board)).not.toContain('Undo me.')
    await board.keyboard.type('!')
    await expect.poll(() => text(liaison)).toContain('Scope of the agreement.!')
  })

  it('keeps a caret the browser moved just before someone else’s edit arrived', async () => {
    const scope = (page: Page) => page.locator(`${selectors.documentText} p`, { hasText: 'Scope of the agreement.' })
    await scope(liaison).click()
    await liaison.keyboard.press('End')
    await holdIncomingMessages(liaison)
    try {
      await board.keyboard.type(' Held.')
      await expect.poll(() => heldUpdateCount(liaison)).toBeGreaterThan(0)
      // The caret goes to the start of the line, as Home takes it, and the edit is read before
      // the browser has reported the move.
      await selectText(liaison, 'Scope of the agreement.', 0, 0, { deliverHeld: true })
    } finally {
      await deliverHeldMessages(liaison)
    }
    await liaison.keyboard.type('In scope: ')
    await expect.poll(() => text(board)).toContain('In scope: Scope of the agreement.! Held.')
    await expect.poll(() => text(liaison)).toContain('In scope: Scope of the agreement.! Held.')
  })

  it('acts on a key where the caret was just put, before the browser has reported the move', async () => {
    await selectText(liaison, 'Officers train', 0, 0, { pressKey: 'Enter' })
    await expect.poll(() => paragraphs(board)).toContain('Trained. ')
    expect(await paragraphs(board)).toContain('In scope: Scope of the agreement.! Held.')
    expect((await paragraphs(board)).some((paragraph) => paragraph.startsWith('Officers train in de-escalation.'))).toBe(true)
  })

  it('sends what was typed just before the tab was hidden, though a hidden tab paints no frame', async () => {
    // Changes go out after the next frame; a hidden tab holds its frames until it is shown again.
    // Hold them here, type, then hide the tab.
    await board.evaluate(() => {
      const held: FrameRequestCallback[] = []
      const showAgain = window.requestAnimationFrame
      Object.assign(window, {
        __showAgain: () => {
          window.requestAnimationFrame = showAgain
          for (const callback of held) showAgain(callback)
        },
      })
      window.requestAnimationFrame = (callback) => held.push(callback)
    })
    try {
      await board.locator(selectors.documentText).click()
      await board.keyboard.press('Control+End')
      await board.keyboard.type(' Sent while hidden.')
      await board.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true })
        document.dispatchEvent(new Event('visibilitychange'))
      })
      await expect.poll(() => text(liaison)).toContain('Sent while hidden.')
    } finally {
      await board.evaluate(() => {
        delete (document as { visibilityState?: DocumentVisibilityState }).visibilityState
        document.dispatchEvent(new Event('visibilitychange'))
        ;(window as unknown as { __showAgain: () => void }).__showAgain()
      })
    }
  })

  it('keeps moving the other person’s caret while one types without a pause', async () => {
    // A typist's screen redraws other people's carets right after the frames of its own keystrokes.
    await board.locator(selectors.documentText).click()
    await board.keyboard.press('Control+End')
    await board.keyboard.press('Enter')
    let typing = true
    const typed = board.keyboard.type('The parties meet each quarter and publish their minutes.', { delay: 80 }).finally(() => (typing = false))
    await board.waitForTimeout(300)
    await paragraph(liaison, 'Scope of the agreement.').click()
    await liaison.keyboard.press('End')
    await expect.poll(() => paragraph(board, 'Scope of the agreement.').locator(selectors.remoteCaretLabel).count(), { timeout: 1500 }).toBe(1)
    const movedWhileTyping = typing
    await paragraph(liaison, 'Officers train').click()
    await liaison.keyboard.press('End')
    await expect.poll(() => paragraph(board, 'Officers train').locator(selectors.remoteCaretLabel).count(), { timeout: 1500 }).toBe(1)
    expect({ movedWhileTyping, stillTyping: typing }).toEqual({ movedWhileTyping: true, stillTyping: true })
    await typed
    await expect.poll(() => paragraphs(liaison)).toContain('The parties meet each quarter and publish their minutes.')
  })
})

describe('a reviewer reading along', () => {
  it('has a read-only editor that sends no writes, even when they try to type', async () => {
    counsel = await signedInPage(browser, accord.url, 'sam')
    const writes = countDocumentWrites(counsel)
    await openDocument(counsel, accord.url, documentId)
    const before = await text(board)
    await expect.poll(() => text(counsel)).toBe(before)

    await expect(counsel.locator(selectors.documentText).getAttribute('contenteditable')).resolves.toBe('false')
    await expect(counsel.locator(selectors.readOnlyNote).innerText()).resolves.toContain('reviewer')
    await expect(counsel.getByRole('toolbar', { name: 'Formatting' }).count()).resolves.toBe(0)
    await counsel.locator(selectors.documentText).click()
    await counsel.keyboard.type('Reviewer text that must not appear')
    await counsel.keyboard.press('Enter')

    // The drafters keep writing; the reviewer sees it live.
    await board.keyboard.press('End')
    await board.keyboard.type(' Reviewed.')
    await expect.poll(() => text(counsel)).toContain('Reviewed.')
    expect(await text(board)).not.toContain('Reviewer text')
    expect(await text(counsel)).not.toContain('Reviewer text')
    expect(writes()).toBe(0)
    await expect(counsel.locator(selectors.saveStatus).innerText()).resolves.toBe('Up to date')
    await screenshot(counsel, 'reviewer-read-only')
  })

  it('reopens without alarm after text was deleted: the reader’s echo of deletions is not a write', async () => {
    await board.keyboard.press('End')
    await board.keyboard.type(' Struck soon.')
    await expect.poll(() => text(counsel)).toContain('Struck soon.')
    for (let i = 0; i < ' Struck soon.'.length; i++) await board.keyboard.press('Backspace')
    await expect.poll(() => text(counsel)).not.toContain('Struck soon.')
    // The reload opens this device's copy, which knows the deletion, and syncs it with the server.
    await counsel.reload()
    await counsel.locator(selectors.documentText).waitFor()
    await expect.poll(() => counsel.locator(selectors.saveStatus).innerText()).toBe('Up to date')
    await board.keyboard.type(' Marker.')
    await expect.poll(() => text(counsel)).toContain('Marker.')
    expect(await counsel.locator(selectors.refusedWrite).count()).toBe(0)
  })

  it('is readable on a phone', async () => {
    const phone = await signedInPage(browser, accord.url, 'sam', { width: 390, height: 844 })
    await openDocument(phone, accord.url, documentId)
    await expect.poll(() => text(phone)).toContain('Reviewed.')
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await screenshot(phone, 'reviewer-phone')
  })
})

describe('a long agreement', () => {
  /** The wrappers the text is drawn in: each top-level element's count of blocks, or -1 for a block outside any group. */
  const groupSizes = (page: Page) =>
    page.locator(selectors.documentText).evaluate((element) => [...element.children].map((child) => (child.classList.contains('block-group') ? child.children.length : -1)))
  const rememberDrawnBlocks = (page: Page) =>
    page.locator(selectors.documentText).evaluate((element) => Object.assign(window, { drawnBlocks: [...element.querySelectorAll('.block-group, .block-group > *')] }))
  const redrawnBlocks = (page: Page) => page.evaluate(() => (window as unknown as { drawnBlocks: Element[] }).drawnBlocks.filter((node) => !node.isConnected).length)

  it('is drawn in groups of blocks, which typing and new blocks leave as they were', async () => {
    const longId = (await admin.createDocument('MOU: a long agreement')).id
    await admin.setRole(longId, 'maria', 'owner')
    await admin.setRole(longId, 'lee', 'drafter')
    await openDocument(board, accord.url, longId)
    await openDocument(liaison, accord.url, longId)
    await board.locator(selectors.documentText).click()
    for (let line = 1; line <= 70; line++) {
      if (line > 1) await board.keyboard.press('Enter')
      await board.keyboard.type(`Line ${line}.`)
    }
    await expect.poll(() => paragraphs(liaison), { timeout: 10_000 }).toEqual(Array.from({ length: 70 }, (_, index) => `Line ${index + 1}.`))
    // Each screen groups the blocks as they reached it (one update may bring several), so the
    // two screens' groups need not match; each keeps its own through what follows.
    const sizesBefore = new Map<Page, number[]>()
    for (const page of [board, liaison]) {
      const sizes = await groupSizes(page)
      expect(sizes.length).toBeGreaterThan(1)
      expect(Math.min(...sizes)).toBeGreaterThan(0)
      expect(Math.max(...sizes)).toBeLessThanOrEqual(64)
      expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(70)
      sizesBefore.set(page, sizes)
      await rememberDrawnBlocks(page)
    }

    await paragraph(board, 'Line 2.').click()
    await board.keyboard.press('End')
    await board.keyboard.type(' Amended.')
    await board.keyboard.press('Enter')
    await board.keyboard.type('Inserted.')
    const amended = ['Line 1.', 'Line 2. Amended.', 'Inserted.', 'Line 3.']
    await expect.poll(async () => (await paragraphs(board)).slice(0, 4)).toEqual(amended)
    await expect.poll(async () => (await paragraphs(liaison)).slice(0, 4), { timeout: 5000 }).toEqual(amended)
    // Nothing else was drawn again, on either screen: not a block, not a group.
    expect(await redrawnBlocks(board)).toBe(0)
    expect(await redrawnBlocks(liaison)).toBe(0)
    // The new block joined the group of the block it was split from.
    for (const page of [board, liaison]) {
      const [first, ...rest] = sizesBefore.get(page)!
      expect(await groupSizes(page)).toEqual([first! + 1, ...rest])
    }
  })

  it('joins, splits and deletes blocks across the edge of a group, the same on every screen', async () => {
    const firstOfSecondGroup = await board.locator(`${selectors.documentText} > .block-group:nth-child(2) > :first-child`).innerText()
    const lastOfFirstGroup = await board.locator(`${selectors.documentText} > .block-group:nth-child(1) > :last-child`).innerText()
    await paragraph(board, firstOfSecondGroup).click()
    await board.keyboard.press('Home')
    await board.keyboard.press('Backspace')
    await board.keyboard.type('|')
    await expect.poll(() => paragraphs(liaison)).toContain(`${lastOfFirstGroup}|${firstOfSecondGroup}`)
    await board.keyboard.press('Enter')
    await expect.poll(() => paragraphs(liaison)).toContain(firstOfSecondGroup)
    expect(await paragraphs(liaison)).toContain(`${lastOfFirstGroup}|`)

    // A selection from the end of one group into the first block of the next, replaced by a word.
    const lastOfSecondGroup = await board.locator(`${selectors.documentText} > .block-group:nth-child(2) > :last-child`).innerText()
    const firstOfThirdGroup = await board.locator(`${selectors.documentText} > .block-group:nth-child(3) > :first-child`).innerText()
    await paragraph(board, lastOfSecondGroup).click()
    await board.keyboard.press('End')
    await board.keyboard.press('Shift+ArrowDown')
    await board.keyboard.press('Shift+End')
    await board.keyboard.type('Replaced.')
    await expect.poll(() => paragraphs(liaison)).toContain(`${lastOfSecondGroup}Replaced.`)
    expect(await paragraphs(liaison)).not.toContain(firstOfThirdGroup)
    expect(await paragraphs(liaison)).toEqual(await paragraphs(board))

    // Both screens still draw every block inside a group, and a fresh screen shows the same text.
    for (const page of [board, liaison]) expect(Math.min(...(await groupSizes(page)))).toBeGreaterThan(0)
    await liaison.reload()
    await liaison.locator(selectors.documentText).waitFor()
    await expect.poll(() => paragraphs(liaison)).toEqual(await paragraphs(board))
    expect(Math.min(...(await groupSizes(liaison)))).toBeGreaterThan(0)
  })
})
