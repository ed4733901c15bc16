import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { strFromU8, unzipSync } from 'fflate'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { committeeDocument, setUpAdmin, type Api } from '../fixtures/api.js'
import { launchBrowser, openDocument, screenshot, signedInPage } from '../fixtures/browser.js'
import { selectors } from '../fixtures/selectors.js'
import { startAccord, tempDir, type AccordProcess } from '../fixtures/server.js'

// Journey: the clerk exports the committee's text for the board packet, then freezes the Final.
let accord: AccordProcess
let browser: Browser
let admin: Api
let documentId: string
let drafter: Page
let clerk: Page

const SENTENCE = 'The committee adopted this text for Nguyễn Văn An and the board.'

beforeAll(async () => {
  accord = await startAccord()
  admin = await setUpAdmin(accord.url, accord.setupUrl)
  documentId = await committeeDocument(admin, 'MOU: School Safety', { maria: 'drafter', sam: 'clerk' })
  browser = await launchBrowser()
  drafter = await signedInPage(browser, accord.url, 'maria')
  clerk = await signedInPage(browser, accord.url, 'sam')
})

afterAll(async () => {
  await browser?.close()
  await accord?.stop()
})

/** Clicks the dialog's download link and returns the file the browser saved, and its name. */
async function downloadFrom(page: Page, formatLabel: string): Promise<{ name: string; bytes: Buffer }> {
  await page.getByRole('radio', { name: formatLabel }).check()
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(selectors.exportDownload).click()])
  const file = path.join(tempDir('accord-download-'), download.suggestedFilename())
  await download.saveAs(file)
  return { name: download.suggestedFilename(), bytes: fs.readFileSync(file) }
}

const docxText = (bytes: Buffer) =>
  strFromU8(unzipSync(new Uint8Array(bytes))['word/document.xml']!)
    .replace(/<\/w:p>/g, '\n')
    .replace(/<[^>]+>/g, '')

function pdfText(bytes: Buffer): string {
  const file = path.join(tempDir('accord-pdf-'), 'export.pdf')
  fs.writeFileSync(file, bytes)
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
}

describe('a clerk exports the committee’s text', () => {
  it('downloads Word and PDF files that carry what the committee wrote, numbered as in the editor', async () => {
    await openDocument(drafter, accord.url, documentId)
    const editor = drafter.locator(selectors.documentText)
    await editor.click()
    await drafter.keyboard.type(SENTENCE)
    await expect.poll(() => drafter.locator(selectors.saveStatus).innerText()).toBe('Saved')

    await openDocument(clerk, accord.url, documentId)
    await expect.poll(() => clerk.locator(selectors.documentText).innerText()).toContain(SENTENCE)
    await clerk.getByRole('button', { name: 'Export' }).click()
    const dialog = clerk.getByRole('dialog', { name: 'Export' })
    await dialog.waitFor()
    await expect(dialog.locator(selectors.exportUnset).innerText()).resolves.toContain('Every variable is set')
    // The preview is the HTML export, in a frame that runs nothing.
    const preview = clerk.frameLocator('iframe[title^="Preview"]')
    await preview.getByText(SENTENCE).waitFor()
    await expect(clerk.locator('iframe[title^="Preview"]').getAttribute('sandbox')).resolves.toBe('')
    await screenshot(clerk, 'export-dialog')

    const word = await downloadFrom(clerk, 'Word (.docx)')
    expect(word.name).toMatch(/^MOU School Safety - Draft \d{4}-\d{2}-\d{2}\.docx$/)
    expect(docxText(word.bytes)).toContain(SENTENCE)

    const pdf = await downloadFrom(clerk, 'PDF')
    expect(pdf.name).toMatch(/\.pdf$/)
    const text = pdfText(pdf.bytes)
    expect(text.replace(/\s+/g, ' ')).toContain(SENTENCE)
    expect(text).toContain('DRAFT · Draft')
    await clerk.keyboard.press('Escape')
  })

  it('lists unset variables of the model MOU before exporting, and marks them in the files', async () => {
    const modelId = (await admin.createDocument('Model MOU', 'model')).id
    await admin.setRole(modelId, 'sam', 'clerk')
    await openDocument(clerk, accord.url, modelId)
    const firstClause = await clerk.locator(selectors.clauseTitle).first().getAttribute('data-number')
    const firstTitle = await clerk.locator(selectors.clauseTitle).first().innerText()
    await clerk.getByRole('button', { name: 'Export' }).click()
    const unset = clerk.locator(selectors.exportUnset)
    await expect(unset.innerText()).resolves.toContain('District')
    const word = await downloadFrom(clerk, 'Word (.docx)')
    const text = docxText(word.bytes)
    expect(text).toContain(`${firstClause}. ${firstTitle}`)
    expect(text).toContain('[District — not set]')
    await clerk.setViewportSize({ width: 390, height: 844 })
    await screenshot(clerk, 'export-dialog-phone')
    await clerk.setViewportSize({ width: 1280, height: 860 })
    await clerk.keyboard.press('Escape')
  })

  it('finalizes: the drafter’s editor turns read-only and the Final downloads are marked FINAL', async () => {
    await openDocument(clerk, accord.url, documentId)
    await clerk.getByRole('button', { name: 'Finalize…' }).click()
    const confirm = clerk.getByRole('dialog', { name: 'Finalize this document?' })
    await confirm.waitFor()
    await screenshot(clerk, 'finalize-confirm')
    await confirm.getByRole('button', { name: 'Finalize', exact: true }).click()
    await clerk.locator(selectors.finalBadge).waitFor()

    await expect.poll(() => drafter.locator(selectors.documentText).getAttribute('contenteditable'), { timeout: 5000 }).toBe('false')
    await expect(drafter.locator(selectors.readOnlyNote).innerText()).resolves.toContain('read-only for everyone')
    await expect.poll(() => drafter.locator(selectors.finalBadge).innerText()).toMatch(/^Final · [0-9a-f]{12}$/)
    await expect(drafter.locator(selectors.readOnlyNote).innerText()).resolves.toContain('This is Final 1')
    await drafter.setViewportSize({ width: 390, height: 844 })
    await screenshot(drafter, 'final-phone')

    await clerk.getByRole('button', { name: 'Download' }).click()
    await clerk.getByRole('dialog', { name: 'Download the Final' }).waitFor()
    await expect(clerk.locator(selectors.finalNote).innerText()).resolves.toMatch(/Final 1, finalized by Sam Kline/)
    await clerk.frameLocator('iframe[title^="Preview"]').getByText('FINAL · Final 1', { exact: false }).waitFor()
    await screenshot(clerk, 'final-download')
    const pdf = await downloadFrom(clerk, 'PDF')
    expect(pdf.name).toBe('MOU School Safety - Final 1.pdf')
    const text = pdfText(pdf.bytes)
    expect(text.replace(/\s+/g, ' ')).toContain(SENTENCE)
    expect(text).toContain('FINAL · Final 1')
    expect(text).not.toContain('DRAFT')
  })

  it('lets only an owner reopen the Final, and the drafter writes again', async () => {
    await expect(clerk.getByRole('button', { name: 'Reopen…' }).count()).resolves.toBe(0)
    const owner = await signedInPage(browser, accord.url, 'admin')
    await openDocument(owner, accord.url, documentId)
    await owner.getByRole('button', { name: 'Reopen…' }).click()
    const confirm = owner.getByRole('dialog', { name: 'Reopen this document?' })
    await confirm.getByRole('button', { name: 'Reopen', exact: true }).click()
    await expect.poll(() => owner.locator(selectors.finalBadge).count()).toBe(0)
    await expect.poll(() => drafter.locator(selectors.documentText).getAttribute('contenteditable'), { timeout: 5000 }).toBe('true')
    await screenshot(owner, 'reopened')
  })
})
