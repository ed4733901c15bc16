import { MessageType } from '@accord/shared'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { committeeDocument, setUpAdmin, type Api } from '../fixtures/api.js'
import { documentText, launchBrowser, openDocument, screenshot, signedInPage } from '../fixtures/browser.js'
import { selectors } from '../fixtures/selectors.js'
import { accordMessage, routeCollabSocket, type CollabLink } from '../fixtures/socket.js'
import { startAccord, type AccordProcess } from '../fixtures/server.js'

// Journey 7: the train with no signal. A drafter keeps typing while their connection is gone;
// the owner keeps typing too; when the connection returns both screens hold the same text, with
// every phrase exactly once.
let accord: AccordProcess
let browser: Browser
let admin: Api
let documentId: string
/** The owner, on a steady connection. */
let owner: Page
/** A drafter whose collaboration socket the test controls. */
let drafter: Page
let link: CollabLink

const text = documentText
const status = (page: Page) => page.locator(selectors.saveStatus).innerText()
const occurrences = (haystack: string, needle: string) => haystack.split(needle).length - 1

async function converged(): Promise<string> {
  await expect.poll(async () => (await text(owner)) === (await text(drafter)), { timeout: 10_000 }).toBe(true)
  return text(owner)
}

/** Polls for a while and fails if the status ever says "Saved". */
async function neverSaved(page: Page, forMs: number): Promise<void> {
  const until = Date.now() + forMs
  while (Date.now() < until) {
    expect(await status(page)).not.toBe('Saved')
    await page.waitForTimeout(100)
  }
}

beforeAll(async () => {
  accord = await startAccord()
  admin = await setUpAdmin(accord.url, accord.setupUrl)
  documentId = await committeeDocument(admin, 'MOU: Denver Public Schools and Denver Police Department', {
    maria: 'owner',
    jo: 'drafter',
  })
  browser = await launchBrowser()
  owner = await signedInPage(browser, accord.url, 'maria')
  drafter = await signedInPage(browser, accord.url, 'jo')
  link = await routeCollabSocket(drafter)
})

afterAll(async () => {
  await browser?.close()
  await accord?.stop()
})

describe('saying "Saved" honestly', () => {
  it('says Saved only once the server has confirmed storing the change', async () => {
    await openDocument(owner, accord.url, documentId)
    await openDocument(drafter, accord.url, documentId)
    await drafter.locator(selectors.documentText).click()
    await drafter.keyboard.type('Purpose.')
    await expect.poll(() => status(drafter)).toBe('Saved')
    await expect.poll(() => text(owner)).toContain('Purpose.')

    // The server hears nothing of the next words until the test lets them through.
    link.hold()
    await drafter.keyboard.type(' Held back.')
    await expect.poll(() => status(drafter)).toBe('Saving…')
    await neverSaved(drafter, 1500)
    expect(await text(owner)).not.toContain('Held back.')
    // Leaving now would lose words the server does not have: the browser asks first.
    const warned = await drafter.evaluate(() => {
      const event = new Event('beforeunload', { cancelable: true })
      window.dispatchEvent(event)
      return event.defaultPrevented
    })
    expect(warned).toBe(true)

    link.release()
    await expect.poll(() => status(drafter)).toBe('Saved')
    await expect.poll(() => text(owner)).toContain('Purpose. Held back.')
  })

  it('says Not saved when the server could not store, until a later Saved covers everything', async () => {
    link.hold()
    await drafter.keyboard.type(' Stored later.')
    link.sendToPage(accordMessage(MessageType.SaveFailed, { message: 'The server could not write to its disk.' }))
    await expect.poll(() => status(drafter)).toBe('Not saved')
    await expect(drafter.locator(selectors.saveStatusDetail).innerText()).resolves.toContain(
      'The server could not write to its disk.',
    )
    await neverSaved(drafter, 500)

    link.release()
    await expect.poll(() => status(drafter)).toBe('Saved')
    await expect.poll(() => drafter.locator(selectors.saveStatusDetail).count()).toBe(0)
    await expect.poll(() => text(owner)).toContain('Held back. Stored later.')
  })
})

describe('drafting with no connection', () => {
  it('keeps a drafter typing offline and merges without duplicated text when the connection returns', async () => {
    await link.cut()
    await expect.poll(() => status(drafter)).toBe('Offline')
    const detail = await drafter.locator(selectors.saveStatusDetail).innerText()
    expect(detail).toContain('kept on this device')
    expect(detail).toContain('sent when the connection returns')

    await drafter.keyboard.press('Control+End')
    await drafter.keyboard.press('Enter')
    await drafter.keyboard.type('Drafted on the train without signal.', { delay: 10 })
    await owner.locator(selectors.documentText).click()
    await owner.keyboard.press('Control+End')
    await owner.keyboard.press('Enter')
    await owner.keyboard.type('Agreed in the office meanwhile.', { delay: 10 })
    // Both go on typing into the first paragraph too, at the same time.
    await Promise.all([
      (async () => {
        await drafter.keyboard.press('Control+Home')
        await drafter.keyboard.press('End')
        await drafter.keyboard.type(' Offline words.', { delay: 10 })
      })(),
      owner.keyboard.type(' Owner words.', { delay: 10 }),
    ])
    await expect.poll(() => status(owner)).toBe('Saved')
    expect(await text(owner)).not.toContain('Drafted on the train')
    expect(await text(drafter)).not.toContain('Agreed in the office')
    await expect(status(drafter)).resolves.toBe('Offline')
    await screenshot(drafter, 'offline-drafting')

    link.restore()
    const merged = await converged()
    for (const phrase of [
      'Purpose.',
      'Held back.',
      'Stored later.',
      'Drafted on the train without signal.',
      'Agreed in the office meanwhile.',
      'Offline words.',
      'Owner words.',
    ]) {
      expect(occurrences(merged, phrase), `"${phrase}" in:\n${merged}`).toBe(1)
    }
    await expect.poll(() => status(drafter), { timeout: 10_000 }).toBe('Saved')
    await expect.poll(() => status(owner)).toBe('Saved')
    await expect.poll(() => drafter.locator(selectors.saveStatusDetail).count()).toBe(0)
  })

  it('opens the text from this device after a reload while offline, and keeps it typing', async () => {
    const before = await text(drafter)
    await link.cut()
    await drafter.reload()
    await drafter.locator(selectors.documentText).waitFor()
    await expect.poll(() => text(drafter)).toBe(before)
    await expect.poll(() => status(drafter)).toBe('Offline')
    await expect(drafter.locator(selectors.documentText).getAttribute('contenteditable')).resolves.toBe('true')

    await drafter.locator(selectors.documentText).click()
    await drafter.keyboard.press('Control+End')
    await drafter.keyboard.type(' Typed after reloading offline.')
    await owner.keyboard.type(' Meanwhile, the owner.')

    link.restore()
    const merged = await converged()
    expect(occurrences(merged, 'Typed after reloading offline.')).toBe(1)
    expect(occurrences(merged, 'Meanwhile, the owner.')).toBe(1)
    expect(occurrences(merged, 'Drafted on the train without signal.')).toBe(1)
    await expect.poll(() => status(drafter), { timeout: 10_000 }).toBe('Saved')
  })

  it('says plainly that a document never opened on this device cannot be shown offline', async () => {
    const fresh = (await admin.createDocument('Data-sharing annex')).id
    await admin.setRole(fresh, 'jo', 'drafter')
    await link.cut()
    await drafter.goto(`${accord.url}/documents/${fresh}`)
    const unavailable = drafter.locator(selectors.offlineUnavailable)
    await unavailable.waitFor()
    const message = await unavailable.innerText()
    expect(message).toContain('You are offline')
    expect(message).toContain('has not been opened on this device before')
    await expect(drafter.locator(selectors.documentText).count()).resolves.toBe(0)
    await expect(status(drafter)).resolves.toBe('Offline')
    await screenshot(drafter, 'offline-never-opened')

    link.restore()
    await drafter.locator(selectors.documentText).waitFor({ timeout: 10_000 })
    await expect(drafter.locator(selectors.documentText).getAttribute('contenteditable')).resolves.toBe('true')
    await expect.poll(() => status(drafter)).toBe('Saved')
  })

  it('says so when the server cannot open the document for now, and keeps the typing until it can', async () => {
    await openDocument(drafter, accord.url, documentId)
    await expect.poll(() => status(drafter)).toBe('Saved')
    await link.cut(4500)
    await expect.poll(() => status(drafter)).toBe('Unavailable')
    const detail = await drafter.locator(selectors.saveStatusDetail).innerText()
    expect(detail).toContain('cannot be opened right now')
    expect(detail).toContain('kept on this device')
    await screenshot(drafter, 'server-unavailable')

    await drafter.locator(selectors.documentText).click()
    await drafter.keyboard.press('Control+End')
    await drafter.keyboard.type(' Typed while the server could not open it.')
    link.restore()
    const merged = await converged()
    expect(occurrences(merged, 'Typed while the server could not open it.')).toBe(1)
    await expect.poll(() => status(drafter), { timeout: 10_000 }).toBe('Saved')
    await expect.poll(() => drafter.locator(selectors.saveStatusDetail).count()).toBe(0)
  })
})

describe('changes the server will not take', () => {
  it('replaces the local copy with the server’s when a write is refused, and says so', async () => {
    await openDocument(drafter, accord.url, documentId)
    await expect.poll(() => status(drafter)).toBe('Saved')
    const stored = await text(owner)

    link.hold()
    await drafter.locator(selectors.documentText).click()
    await drafter.keyboard.press('Control+End')
    await drafter.keyboard.type(' Words the server refuses.')
    await expect.poll(() => status(drafter)).toBe('Saving…')
    // The server drops the write and says why.
    link.dropHeld()
    link.sendToPage(
      accordMessage(MessageType.Refused, {
        code: 'not_allowed_content',
        message: 'That change contains content an Accord document cannot hold.',
      }),
    )
    const alert = drafter.locator(selectors.refusedWrite)
    await alert.waitFor()
    await expect(alert.getAttribute('role')).resolves.toBe('alert')
    const said = await alert.innerText()
    expect(said).toContain('Your last change was not kept.')
    expect(said).toContain('That change contains content an Accord document cannot hold.')

    await expect.poll(() => text(drafter)).toBe(stored)
    await expect.poll(() => status(drafter)).toBe('Saved')
    await screenshot(drafter, 'refused-write')

    // The page goes on working from the server's copy.
    await drafter.locator(selectors.documentText).click()
    await drafter.keyboard.press('Control+End')
    await drafter.keyboard.type(' Kept after the refusal.')
    await expect.poll(() => text(owner)).toContain('Kept after the refusal.')
    await expect.poll(() => status(drafter)).toBe('Saved')
    expect(await text(owner)).not.toContain('Words the server refuses.')
    await drafter.locator(selectors.refusedWrite).getByRole('button', { name: 'Dismiss' }).click()
    await expect(drafter.locator(selectors.refusedWrite).count()).resolves.toBe(0)
  })

  it('refuses a paste larger than the server accepts, with a message, and inserts nothing', async () => {
    const before = await text(drafter)
    await drafter.locator(selectors.documentText).click()
    await drafter.keyboard.press('Control+End')
    await drafter.locator(selectors.documentText).evaluate((element, bytes) => {
      const line = 'The parties agree to share data only as this annex allows, and no further. '.repeat(3)
      const data = new DataTransfer()
      data.setData('text/plain', `${line}\n`.repeat(Math.ceil(bytes / (line.length + 1))))
      element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    }, 3 * 1024 * 1024)

    const alert = drafter.getByRole('alert').filter({ hasText: 'Nothing was pasted' })
    await alert.waitFor()
    expect(await alert.innerText()).toContain('Paste it in smaller parts.')
    expect(await text(drafter)).toBe(before)
    await expect(status(drafter)).resolves.toBe('Saved')
    await screenshot(drafter, 'refused-paste')

    // An ordinary paste still goes in, and the message goes away.
    await drafter.locator(selectors.documentText).evaluate((element) => {
      const data = new DataTransfer()
      data.setData('text/plain', ' A clause pasted from e-mail.')
      element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    })
    await expect.poll(() => text(owner)).toContain('A clause pasted from e-mail.')
    await expect(drafter.locator(selectors.refusedPaste).count()).resolves.toBe(0)
    expect(await text(owner)).toBe(before + ' A clause pasted from e-mail.')
    await expect.poll(() => status(drafter)).toBe('Saved')
  })
})

describe('a shared computer', () => {
  it('deletes the person’s offline copies when they sign out', async () => {
    const stores = () =>
      drafter.evaluate(async () => (await indexedDB.databases()).map((database) => database.name ?? ''))
    expect(await stores()).toContain(`accord:jo:${documentId}`)
    await drafter.getByRole('button', { name: 'Sign out' }).click()
    await drafter.getByRole('button', { name: 'Sign in' }).waitFor()
    await expect.poll(async () => (await stores()).filter((name) => name.startsWith('accord:jo:'))).toEqual([])
  })
})
