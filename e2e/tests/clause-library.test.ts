import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { committeeDocument, setUpAdmin, type Api } from '../fixtures/api.js'
import { clickIntoClause, launchBrowser, openDocument, screenshot, signedInPage } from '../fixtures/browser.js'
import { selectors } from '../fixtures/selectors.js'
import { startAccord, type AccordProcess } from '../fixtures/server.js'

// Journeys 3 and 5: filling in the blanks, and moving clauses, with two people on one MOU.
let accord: AccordProcess
let browser: Browser
let admin: Api
let documentId: string
let board: Page
let liaison: Page

const clauseNumbers = (page: Page) =>
  page.locator(selectors.clauseTitle).evaluateAll((titles) =>
    titles.map((title) => {
      const copy = title.cloneNode(true) as HTMLElement
      for (const caret of copy.querySelectorAll('.remote-caret')) caret.remove()
      return `${title.getAttribute('data-number')} ${copy.textContent}`
    }),
  )

beforeAll(async () => {
  accord = await startAccord()
  admin = await setUpAdmin(accord.url, accord.setupUrl)
  documentId = await committeeDocument(admin, 'MOU draft', { maria: 'owner', lee: 'drafter', sam: 'reviewer' })
  browser = await launchBrowser()
  board = await signedInPage(browser, accord.url, 'maria')
  liaison = await signedInPage(browser, accord.url, 'lee')
  await openDocument(board, accord.url, documentId)
  await openDocument(liaison, accord.url, documentId)
})

afterAll(async () => {
  await browser?.close()
  await accord?.stop()
})

describe('the clause library', () => {
  it('inserts templates as numbered clauses that everyone sees at once', async () => {
    await board.locator(selectors.documentText).click()
    await board.getByRole('tab', { name: 'Library' }).click()
    for (const title of ['Purpose and guiding principles', 'Complaints and grievances', 'Data collection and public reporting']) {
      await board.getByRole('button', { name: `Insert ${title}` }).click()
    }
    const expected = ['1 Purpose and guiding principles', '2 Complaints and grievances', '3 Data collection and public reporting']
    await expect.poll(async () => (await clauseNumbers(liaison)).filter((entry) => !entry.includes('.'))).toEqual(expected)
    await expect.poll(() => liaison.locator(selectors.outlineItem).first().innerText()).toContain('Purpose and guiding principles')
  })

  it('keeps cross-references right when a clause moves', async () => {
    // The owner refers to the data clause from the purpose clause.
    await board.getByRole('tab', { name: 'Outline' }).click()
    await board.locator('.document-text .clause > p').first().click()
    await board.keyboard.press('End')
    await board.getByRole('button', { name: 'Refer to clause 3 at the cursor' }).click()
    await expect.poll(() => liaison.locator(selectors.crossReference).first().getAttribute('data-number')).toBe('3')

    // Moving "Complaints" below "Data" renumbers both, and the reference follows its clause.
    await board.getByRole('button', { name: 'Move clause 2 down' }).click()
    await expect.poll(async () => (await clauseNumbers(liaison)).filter((entry) => !entry.includes('.'))).toEqual([
      '1 Purpose and guiding principles',
      '2 Data collection and public reporting',
      '3 Complaints and grievances',
    ])
    await expect.poll(() => liaison.locator(selectors.crossReference).first().getAttribute('data-number')).toBe('2')
    await expect.poll(() => board.locator(selectors.crossReference).first().getAttribute('data-number')).toBe('2')
    await screenshot(liaison, 'clauses-moved')
  })

  it('keeps every number while someone types in a title and beside a cross-reference', async () => {
    const data = board.locator(selectors.clauseTitle).filter({ hasText: 'Data collection and public reporting' })
    await clickIntoClause(board, data, 'Data collection and public reporting')
    await board.keyboard.press('End')
    await board.keyboard.type(' (annual)')
    await board.locator('.document-text .clause > p').first().click()
    await board.keyboard.press('End')
    await board.keyboard.type(' as agreed')

    const expected = ['1 Purpose and guiding principles', '2 Data collection and public reporting (annual)', '3 Complaints and grievances']
    for (const page of [board, liaison]) {
      await expect.poll(async () => (await clauseNumbers(page)).filter((entry) => !entry.includes('.'))).toEqual(expected)
      await expect.poll(() => page.locator(selectors.crossReference).first().getAttribute('data-number')).toBe('2')
      await expect.poll(() => page.locator('.document-text .clause > p').first().innerText()).toContain('as agreed')
    }
    await expect.poll(() => board.locator(selectors.outlineItem).nth(1).innerText()).toContain('Data collection and public reporting (annual)')

    // Back to the templates' words, for the tests that follow.
    for (let key = 0; key < ' as agreed'.length; key++) await board.keyboard.press('Backspace')
    await clickIntoClause(board, data, 'Data collection and public reporting')
    await board.keyboard.press('End')
    for (let key = 0; key < ' (annual)'.length; key++) await board.keyboard.press('Backspace')
    await expect.poll(async () => (await clauseNumbers(liaison)).filter((entry) => !entry.includes('.'))).toEqual([
      '1 Purpose and guiding principles',
      '2 Data collection and public reporting',
      '3 Complaints and grievances',
    ])
  })

  it('indents a clause under the one before it with Tab, and back with Shift+Tab', async () => {
    const complaints = board.locator(selectors.clauseTitle).filter({ hasText: 'Complaints and grievances' })
    const numberOfComplaints = async (page: Page) =>
      (await clauseNumbers(page)).find((entry) => entry.endsWith('Complaints and grievances'))
    await clickIntoClause(board, complaints, 'Complaints and grievances')
    await board.keyboard.press('Tab')
    await expect.poll(() => numberOfComplaints(board)).toBe('2.4 Complaints and grievances')
    await expect.poll(async () => (await clauseNumbers(liaison)).find((entry) => entry.endsWith('Complaints and grievances'))).toBe(
      '2.4 Complaints and grievances',
    )
    await expect.poll(async () => (await clauseNumbers(liaison)).includes('2.4.1 Where complaints go')).toBe(true)
    await board.keyboard.press('Shift+Tab')
    await expect.poll(() => numberOfComplaints(board)).toBe('3 Complaints and grievances')
    await expect.poll(async () => (await clauseNumbers(liaison)).find((entry) => entry.endsWith('Complaints and grievances'))).toBe(
      '3 Complaints and grievances',
    )
  })

  it('fills a variable everywhere, on every screen', async () => {
    await liaison.getByRole('tab', { name: 'Variables' }).click()
    await liaison.getByRole('textbox', { name: 'District', exact: true }).fill('Denver Public Schools')
    const districtValues = (page: Page) =>
      page.locator(selectors.variable('district')).evaluateAll((chips) => chips.map((chip) => chip.getAttribute('data-value')))
    await expect.poll(async () => new Set(await districtValues(board))).toEqual(new Set(['Denver Public Schools']))
    expect((await districtValues(board)).length).toBeGreaterThan(1)
    await expect.poll(() => board.locator(selectors.saveStatus).innerText()).toBe('Saved')
    await screenshot(board, 'variables-filled')
  })

  it('adds signature lines that fill themselves in from the variables', async () => {
    await liaison.getByRole('button', { name: 'Add signature lines at the end' }).click()
    await expect.poll(() => board.locator('.document-text .signature-block').innerText()).toContain('For Denver Public Schools')
    await liaison.getByRole('textbox', { name: 'Superintendent', exact: true }).fill('Dr. Alex Marrero')
    await expect.poll(() => board.locator('.document-text .signature-block').innerText()).toContain('Name: Dr. Alex Marrero')
  })

  it('shows when a clause’s text has moved away from its template, and how', async () => {
    await board.getByRole('tab', { name: 'Outline' }).click()
    await expect(board.getByRole('button', { name: /differs from its template/ }).count()).resolves.toBe(0)
    await liaison.getByRole('tab', { name: 'Outline' }).click()
    await clickIntoClause(liaison, liaison.locator('.document-text .clause > p').first(), 'Purpose and guiding principles')
    await liaison.keyboard.press('Home')
    await liaison.keyboard.type('Revised wording. ')
    const badge = board.getByRole('button', { name: 'Clause 1 differs from its template: compare' })
    await badge.waitFor()
    await badge.click()
    const diff = board.locator(selectors.templateDiff)
    await expect(diff.locator('ins').first().innerText()).resolves.toContain('Revised wording.')
    await screenshot(board, 'template-diff')
    await board.getByRole('button', { name: 'Close' }).click()
  })

  it('gives a reviewer no way to insert', async () => {
    const counsel = await signedInPage(browser, accord.url, 'sam')
    await openDocument(counsel, accord.url, documentId)
    await expect(counsel.getByRole('tab', { name: 'Library' }).count()).resolves.toBe(0)
    await expect(counsel.getByRole('button', { name: /Refer to clause/ }).count()).resolves.toBe(0)
    await expect.poll(async () => (await clauseNumbers(counsel)).length).toBeGreaterThan(3)
  })
})
