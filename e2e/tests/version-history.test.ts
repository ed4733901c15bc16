import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COMMITTEE, setUpAdmin, type Api } from '../fixtures/api.js'
import { documentText, launchBrowser, openDocument, screenshot, selectText, signedInPage } from '../fixtures/browser.js'
import { selectors } from '../fixtures/selectors.js'
import { startAccord, type AccordProcess } from '../fixtures/server.js'

// Journey: before a meeting, a drafter saves a version; another changes a clause; the first
// sees exactly that change, with its author, in a redline; restoring brings the old text back.
let accord: AccordProcess
let browser: Browser
let admin: Api
let documentId: string
let maria: Page
let lee: Page

const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 5000 })

const VERSION = 'Draft for the June 4 meeting'
const CLAUSE_TEXT = 'Contact between students and police should be rare'

beforeAll(async () => {
  accord = await startAccord()
  admin = await setUpAdmin(accord.url, accord.setupUrl)
  documentId = (await admin.createDocument('MOU: Denver Public Schools and Denver Police Department', 'model')).id
  for (const username of ['maria', 'lee'] as const) {
    await admin.createPerson(username, COMMITTEE[username].displayName, COMMITTEE[username].affiliation)
    await admin.setRole(documentId, username, 'drafter')
  }
  browser = await launchBrowser()
  maria = await signedInPage(browser, accord.url, 'maria')
  lee = await signedInPage(browser, accord.url, 'lee')
})

afterAll(async () => {
  await browser?.close()
  await accord?.stop()
})

const saved = (page: Page) => eventually(() => page.locator(selectors.saveStatus).innerText()).toBe('Saved')
const history = (page: Page) => page.getByRole('tab', { name: 'History' }).click()

describe('version history', () => {
  it('lets a drafter save the text both people edited as a named version', async () => {
    await openDocument(maria, accord.url, documentId)
    await openDocument(lee, accord.url, documentId)
    // Both edit before the version is saved.
    await selectText(lee, 'Police have a narrow role', 'Police have a '.length, 'Police have a '.length)
    await lee.keyboard.type('clearly ')
    await selectText(maria, 'serious crimes', 0, 0)
    await maria.keyboard.type('truly ')
    await saved(lee)
    await saved(maria)
    await eventually(() => documentText(maria)).toContain('Police have a clearly narrow role')

    await history(maria)
    await maria.getByLabel('Save this version as').fill(VERSION)
    await maria.getByRole('button', { name: 'Save', exact: true }).click()
    const first = maria.locator('[data-testid="version-item"]').first()
    await eventually(() => first.innerText()).toMatch(new RegExp(`${VERSION}\\s+Maria Ortega · Board member · just now`))
    await screenshot(maria, 'history-panel')
  })

  it('shows the other drafter’s change to a clause in the redline, exactly, under their name', async () => {
    await selectText(lee, CLAUSE_TEXT, CLAUSE_TEXT.length - 'rare'.length)
    await lee.keyboard.type('exceptional')
    await saved(lee)
    await eventually(() => documentText(maria)).toContain('should be exceptional')

    await maria.getByRole('button', { name: `Changes since ${VERSION}` }).click()
    const frame = maria.frameLocator('[data-testid="redline-frame"]')
    const changes = frame.locator('.changes li')
    await eventually(() => changes.allInnerTexts()).toEqual([
      expect.stringMatching(/^Deleted by Officer Lee \(Police liaison\), \d{4}-\d\d-\d\d \d\d:\d\d UTC, Section \d+(\.\d+)*: rare$/),
      expect.stringMatching(/^Inserted by Officer Lee \(Police liaison\), .* UTC, Section \d+(\.\d+)*: exceptional$/),
    ])
    await expect(frame.locator('main p del.change').allInnerTexts()).resolves.toEqual(['rare'])
    await expect(frame.locator('main p ins.change').allInnerTexts()).resolves.toEqual(['exceptional'])
    await screenshot(maria, 'history-redline')

    // Filtered to Maria's own changes: none since the version.
    await maria.getByTestId('redline-person').selectOption('maria')
    await eventually(() => frame.locator('.changes').innerText()).toMatch(/Changes \(0\)[\s\S]*No changes\./)
    await maria.getByRole('button', { name: 'Close' }).click()
  })

  it('shows a version read-only as it was, numbered as it was', async () => {
    await maria.getByRole('button', { name: `View ${VERSION}` }).click()
    const frame = maria.frameLocator(`iframe[title="${VERSION}, as it was"]`)
    await eventually(() => frame.locator('main').innerText()).toContain(`${CLAUSE_TEXT}, respectful`)
    await expect(frame.locator('main').innerText()).resolves.not.toContain('exceptional')
    await expect(frame.locator('.clause-number').first().innerText()).resolves.toBe('1.')
    await screenshot(maria, 'history-version-view')
    await maria.getByRole('button', { name: 'Close' }).click()
  })

  it('restores the version: the old text comes back on both screens', async () => {
    await maria.getByRole('button', { name: `Restore… ${VERSION}` }).click()
    await maria.getByTestId('confirm-restore').click()
    await eventually(() => documentText(maria)).toContain(`${CLAUSE_TEXT}, respectful`)
    await eventually(() => documentText(lee)).toContain(`${CLAUSE_TEXT}, respectful`)
    expect(await documentText(lee)).not.toContain('exceptional')
    // The text both edited before the version stays.
    expect(await documentText(lee)).toContain('Police have a clearly narrow role')
    // The text before the restore was kept as a version, to undo it with.
    await eventually(() => maria.locator('[data-testid="version-item"]').first().innerText()).toMatch(new RegExp(`^Before restoring “${VERSION}”`))
    await eventually(() => maria.locator('[data-testid="activity-list"]').innerText()).toMatch(/Maria Ortega restored the version “Draft for the June 4 meeting”/)
  })

  it('reads well on a phone', async () => {
    const phone = await signedInPage(browser, accord.url, 'lee', { width: 390, height: 844 })
    await openDocument(phone, accord.url, documentId)
    await history(phone)
    await phone.locator('[data-testid="version-item"]').first().waitFor()
    await phone.getByTestId('history-panel').scrollIntoViewIfNeeded()
    await screenshot(phone, 'history-panel-phone')
    const width = await phone.evaluate(() => document.documentElement.scrollWidth)
    expect(width).toBeLessThanOrEqual(390)
    await phone.getByRole('button', { name: `Changes since ${VERSION}` }).click()
    await phone.frameLocator('[data-testid="redline-frame"]').locator('.changes').waitFor()
    await screenshot(phone, 'history-redline-phone')
    await phone.context().close()
  })
})
