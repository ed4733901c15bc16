import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { committeeDocument, setUpAdmin, type Api } from '../fixtures/api.js'
import { launchBrowser, openDocument, screenshot, signedInPage } from '../fixtures/browser.js'
import { selectors } from '../fixtures/selectors.js'
import { startAccord, type AccordProcess } from '../fixtures/server.js'

// Journey 9: someone's role changes, or they leave the committee, mid-meeting.
let accord: AccordProcess
let browser: Browser
let admin: Api
let documentId: string
let member: Page

beforeAll(async () => {
  accord = await startAccord()
  admin = await setUpAdmin(accord.url, accord.setupUrl)
  documentId = await committeeDocument(admin, 'MOU draft', { jo: 'drafter' })
  browser = await launchBrowser()
  member = await signedInPage(browser, accord.url, 'jo')
})

afterAll(async () => {
  await browser?.close()
  await accord?.stop()
})

describe('an owner changes a member’s access', () => {
  it('turns a drafter’s editor read-only within a second of being made a reviewer', async () => {
    await openDocument(member, accord.url, documentId)
    const editor = member.locator(selectors.documentText)
    await expect(editor.getAttribute('contenteditable')).resolves.toBe('true')

    const changedAt = Date.now()
    await admin.setRole(documentId, 'jo', 'reviewer')
    await expect.poll(() => editor.getAttribute('contenteditable'), { timeout: 3000, interval: 50 }).toBe('false')
    expect(Date.now() - changedAt).toBeLessThan(1500)
    await expect(member.locator(selectors.readOnlyNote).innerText()).resolves.toContain('reviewer')
  })

  it('gives the editor back when they are made a drafter again', async () => {
    await admin.setRole(documentId, 'jo', 'drafter')
    const editor = member.locator(selectors.documentText)
    await expect.poll(() => editor.getAttribute('contenteditable'), { timeout: 3000 }).toBe('true')
    await editor.click()
    await member.keyboard.type('Back to drafting.')
    await expect.poll(() => member.locator(selectors.saveStatus).innerText()).toBe('Saved')
  })

  it('shows a removed member that they no longer have access', async () => {
    await admin.call('DELETE', `/documents/${documentId}/members/jo`)
    await member.getByRole('heading', { name: 'Not found' }).waitFor({ timeout: 3000 })
    await expect(member.getByText('no longer a member').count()).resolves.toBe(1)
    await screenshot(member, 'removed-member')
  })
})
