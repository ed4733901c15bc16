import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setUpAdmin, type Api } from '../fixtures/api.js'
import { launchBrowser, openDocument, screenshot, signedInPage } from '../fixtures/browser.js'
import { selectors } from '../fixtures/selectors.js'
import { startAccord, type AccordProcess } from '../fixtures/server.js'

// Issue 5: site admins add, edit and retire clause templates, and save a clause of a document
// as a new template; drafters see the library change in their documents.
let accord: AccordProcess
let browser: Browser
let admin: Api
let documentId: string
let dana: Page
let lee: Page

const TITLE = 'Police at school events'
const PHONE = { width: 390, height: 844 }

const card = (page: Page, title: string): Locator =>
  page.locator(selectors.templateCard).filter({ has: page.getByRole('heading', { name: title }) })

/** The drafter's Library panel, loaded afresh (it reads the library when the tab opens). */
async function drafterLibrary(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Outline' }).click()
  await page.getByRole('tab', { name: 'Library' }).click()
  await page.locator(selectors.libraryItem).first().waitFor()
}

beforeAll(async () => {
  accord = await startAccord()
  admin = await setUpAdmin(accord.url, accord.setupUrl)
  await admin.createPerson('lee', 'Officer Lee', 'police-liaison')
  documentId = (await admin.createDocument('MOU draft')).id
  await admin.setRole(documentId, 'lee', 'drafter')
  browser = await launchBrowser()
  dana = await signedInPage(browser, accord.url, 'admin')
  lee = await signedInPage(browser, accord.url, 'lee')
  await openDocument(lee, accord.url, documentId)
})

afterAll(async () => {
  await browser?.close()
  await accord?.stop()
})

describe('the clause library, kept by a site admin', () => {
  it('is for site admins only', async () => {
    await expect(lee.getByRole('link', { name: 'Clause library' }).count()).resolves.toBe(0)
    const page = await lee.context().newPage()
    await page.goto(`${accord.url}/library`)
    await page.getByRole('heading', { name: 'Not found' }).waitFor()
    await page.close()
    await lee.getByRole('tab', { name: 'Library' }).click()
    await lee.locator(selectors.libraryItem).first().waitFor()
    await expect(lee.getByRole('button', { name: 'Save clause at cursor as template' }).count()).resolves.toBe(0)
  })

  it('lists every template by category, with version and variables', async () => {
    await dana.getByRole('link', { name: 'Clause library' }).click()
    await dana.getByRole('heading', { name: 'Clause library', level: 1 }).waitFor()
    await dana.getByRole('heading', { name: 'Students’ rights' }).waitFor()
    const purpose = card(dana, 'Purpose and guiding principles')
    await expect(purpose.innerText()).resolves.toContain('Version 1')
    await expect(purpose.innerText()).resolves.toContain('{{district}}')
    await dana.getByRole('searchbox', { name: 'Search templates' }).fill('body-worn')
    await expect.poll(() => dana.locator(selectors.templateCard).count()).toBe(1)
    await dana.getByRole('searchbox', { name: 'Search templates' }).fill('')
    await screenshot(dana, 'library')
  })

  it('adds a template with a variable and a sub-clause, previewed as it will be inserted', async () => {
    await dana.getByRole('button', { name: 'New template' }).click()
    const dialog = dana.getByRole('dialog', { name: 'New template' })
    await expect.poll(() => dana.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('title')
    await dialog.getByLabel('Title').fill(TITLE)
    await dialog.getByLabel('Category').selectOption('police-role')
    await dialog.getByLabel('Summary').fill('When officers may work at district events, and what they do there.')
    await dialog.getByLabel('Text', { exact: true }).fill(
      [
        '{{district}} may ask {{policeDepartment}} in writing for traffic or crowd safety at a school event.',
        '',
        'Officers at an event:',
        '- stay at the entrances and the parking areas;',
        '- leave student behavior to school staff.',
        '',
        '## Costs',
        '',
        'The district pays for the hours officers work at its events.',
      ].join('\n'),
    )
    const preview = dialog.locator(selectors.clausePreview)
    await expect.poll(() => preview.locator('.clause-title').evaluateAll((titles) => titles.map((title) => `${title.getAttribute('data-number')} ${title.textContent}`))).toEqual([
      `1 ${TITLE}`,
      '1.1 Costs',
    ])
    await expect(preview.locator('li').count()).resolves.toBe(2)
    await expect(preview.locator('.variable').first().getAttribute('data-value')).resolves.toBe('District')
    await expect(dialog.innerText()).resolves.toContain('Police Department')
    await screenshot(dana, 'template-editor')

    await dialog.getByRole('button', { name: 'Add to library' }).click()
    await dialog.waitFor({ state: 'hidden' })
    const added = card(dana, TITLE)
    await expect.poll(() => added.innerText()).toContain('Version 1')
    await expect(added.innerText()).resolves.toContain('{{district}}')
    await expect(added.innerText()).resolves.toContain('1 sub-clause')

    // A drafter finds it in their document's Library panel.
    await drafterLibrary(lee)
    await lee.getByRole('button', { name: `Insert ${TITLE}` }).waitFor()
  })

  it('shows the server’s sentence when it refuses a template', async () => {
    await dana.getByRole('button', { name: `Edit ${TITLE}` }).click()
    const dialog = dana.getByRole('dialog', { name: 'Edit template' })
    const text = dialog.getByLabel('Text', { exact: true })
    await text.fill(`${await text.inputValue()}\n\n<script>alert("hi")</script>`)
    await dialog.getByRole('button', { name: 'Save as version 2' }).click()
    await expect.poll(() => dialog.getByRole('alert').innerText()).toBe('A paragraph may not contain HTML, scripts or control characters.')
    await screenshot(dana, 'template-refused')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await expect(card(dana, TITLE).innerText()).resolves.toContain('Version 1')
  })

  it('saves an edit as version 2, and keeps version 1 readable in History', async () => {
    await dana.getByRole('button', { name: `Edit ${TITLE}` }).click()
    const dialog = dana.getByRole('dialog', { name: 'Edit template' })
    const text = dialog.getByLabel('Text', { exact: true })
    await expect(text.inputValue()).resolves.toContain('## Costs')
    await text.fill((await text.inputValue()).replace('The district pays', 'The district pays, within {{noticeDays}} days,'))
    await dialog.getByRole('button', { name: 'Save as version 2' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await expect.poll(() => card(dana, TITLE).innerText()).toContain('Version 2')
    await expect(card(dana, TITLE).innerText()).resolves.toContain('{{noticeDays}}')

    await dana.getByRole('button', { name: `History of ${TITLE}` }).click()
    const history = dana.getByRole('dialog', { name: `History of “${TITLE}”` })
    const versions = history.getByRole('navigation', { name: 'Versions' }).getByRole('button')
    await expect.poll(() => versions.allInnerTexts()).toHaveLength(2)
    const [newest, oldest] = await versions.allInnerTexts()
    expect(newest).toContain('Version 2')
    expect(newest).toContain('Current')
    expect(oldest).toContain('Version 1')
    const shown = history.locator(selectors.clausePreview)
    await expect(shown.innerText()).resolves.toContain('The district pays, within')
    await expect(shown.locator('.variable[data-value="Notice Period (days)"]').count()).resolves.toBe(1)
    await versions.nth(1).click()
    await expect.poll(() => shown.innerText()).toContain('The district pays for the hours')
    await expect(shown.locator('.variable[data-value="Notice Period (days)"]').count()).resolves.toBe(0)
    await screenshot(dana, 'template-history')

    // An old version's text can be the start of the next version; here the admin thinks better of it.
    await history.getByRole('button', { name: 'Edit, starting from version 1' }).click()
    await history.waitFor({ state: 'hidden' })
    const editor = dana.getByRole('dialog', { name: 'Edit template' })
    await expect(editor.innerText()).resolves.toContain('Starting from the text of version 1')
    await expect(editor.getByLabel('Text', { exact: true }).inputValue()).resolves.toContain('The district pays for the hours')
    await expect(editor.getByRole('button', { name: 'Save as version 3' }).isVisible()).resolves.toBe(true)
    await expect.poll(() => dana.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('title')
    await dana.keyboard.press('Escape')
    await editor.waitFor({ state: 'hidden' })
    await expect(card(dana, TITLE).innerText()).resolves.toContain('Version 2')
  })

  it('retires it: gone from a drafter’s library, still listed for the admin', async () => {
    await dana.getByRole('button', { name: `Retire ${TITLE}` }).click()
    await expect.poll(() => card(dana, TITLE).innerText()).toContain('Retired')
    await expect(dana.getByRole('button', { name: `Restore ${TITLE}` }).isVisible()).resolves.toBe(true)
    // Focus stays where it was, on the button that now restores.
    await expect.poll(() => dana.evaluate(() => document.activeElement?.textContent)).toBe('Restore')
    await card(dana, TITLE).scrollIntoViewIfNeeded()
    await screenshot(dana, 'library-retired')

    await drafterLibrary(lee)
    await expect(lee.getByRole('button', { name: `Insert ${TITLE}` }).count()).resolves.toBe(0)
    await lee.getByRole('searchbox', { name: 'Search the clause library' }).fill('parking areas')
    await expect.poll(() => lee.locator(selectors.libraryItem).count()).toBe(0)
    await lee.getByRole('searchbox', { name: 'Search the clause library' }).fill('')
  })

  it('restores it to the library', async () => {
    await dana.getByRole('button', { name: `Restore ${TITLE}` }).click()
    await expect.poll(() => card(dana, TITLE).innerText()).not.toContain('Retired')
    await drafterLibrary(lee)
    await lee.getByRole('button', { name: `Insert ${TITLE}` }).waitFor()
  })

  it('saves the clause at the cursor of a document as a new template', async () => {
    const modelId = (await admin.createDocument('Model MOU', 'model')).id
    await openDocument(dana, accord.url, modelId)
    await dana.getByRole('tab', { name: 'Library' }).click()
    // The cursor starts in the document's heading, which is not a clause.
    await dana.getByRole('button', { name: 'Save clause at cursor as template' }).click()
    await expect.poll(() => dana.locator(selectors.libraryNote).innerText()).toContain('Put the cursor in a clause')

    await dana.locator(selectors.clauseTitle, { hasText: 'Use of force and restraints' }).click()
    await dana.getByRole('button', { name: 'Save clause at cursor as template' }).click()

    const dialog = dana.getByRole('dialog', { name: 'New template' })
    await expect(dialog.getByLabel('Title').inputValue()).resolves.toBe('Use of force and restraints')
    const text = await dialog.getByLabel('Text', { exact: true }).inputValue()
    expect(text).toContain('## Practices that are not allowed')
    expect(text).toContain('### Written report within 24 hours')
    await expect.poll(() => dana.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('category')
    await screenshot(dana, 'template-from-clause')
    await dialog.getByLabel('Title').fill('Use of force (Denver draft)')
    await dialog.getByLabel('Category').selectOption('students')
    await dialog.getByLabel('Summary').fill('The force clause as the Denver committee wrote it.')
    await dialog.getByRole('button', { name: 'Add to library' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await expect.poll(() => dana.locator(selectors.libraryNote).innerText()).toBe('Saved “Use of force (Denver draft)” to the clause library.')
    await dana.getByRole('button', { name: 'Insert Use of force (Denver draft)' }).waitFor()
    await screenshot(dana, 'template-saved-from-clause')

    await dana.getByRole('link', { name: 'Clause library' }).click()
    const saved = card(dana, 'Use of force (Denver draft)')
    await expect.poll(() => saved.innerText()).toContain('Version 1')
    await expect(saved.innerText()).resolves.toContain('3 sub-clauses')
  })

  it('reads well on a phone', async () => {
    const phone = await signedInPage(browser, accord.url, 'admin', PHONE)
    await phone.goto(`${accord.url}/library`)
    await phone.getByRole('heading', { name: 'Clause library', level: 1 }).waitFor()
    await card(phone, TITLE).waitFor()
    const overflow = () => phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    await expect(overflow()).resolves.toBeLessThanOrEqual(0)
    await screenshot(phone, 'library-phone')

    await phone.getByRole('button', { name: `Edit ${TITLE}` }).click()
    const dialog = phone.getByRole('dialog', { name: 'Edit template' })
    await dialog.getByLabel('Text', { exact: true }).waitFor()
    const box = await dialog.boundingBox()
    expect(box!.width).toBeLessThanOrEqual(PHONE.width)
    await screenshot(phone, 'template-editor-phone')
    await dialog.locator(selectors.clausePreview).scrollIntoViewIfNeeded()
    await screenshot(phone, 'template-editor-phone-preview')
    await dialog.getByRole('button', { name: 'Cancel' }).click()

    await phone.getByRole('button', { name: `History of ${TITLE}` }).click()
    await phone.getByRole('dialog', { name: `History of “${TITLE}”` }).locator(selectors.clausePreview).waitFor()
    await screenshot(phone, 'template-history-phone')
    await phone.context().close()
  })
})
