import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PASSWORD } from '../fixtures/api.js'
import { launchBrowser, screenshot } from '../fixtures/browser.js'
import { selectors } from '../fixtures/selectors.js'
import { startAccord, type AccordProcess } from '../fixtures/server.js'

// Journey 1: the district's IT person sets Accord up from the printed link.
let accord: AccordProcess
let browser: Browser
let page: Page

beforeAll(async () => {
  accord = await startAccord()
  browser = await launchBrowser()
  page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage()
})

afterAll(async () => {
  await browser?.close()
  await accord?.stop()
})

describe('setting up Accord', () => {
  it('creates the first admin from the one-time link', async () => {
    await page.goto(accord.setupUrl)
    await page.getByRole('heading', { name: 'Welcome to Accord' }).waitFor()
    await screenshot(page, 'setup')
    await page.getByLabel('Your name').fill('Dana Whitfield')
    await page.getByLabel('Username').fill('dana')
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByLabel('Confirm password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Create administrator' }).click()
    await page.getByRole('heading', { name: 'Your documents' }).waitFor()
    await screenshot(page, 'home-empty')
  })

  it('refuses the setup link a second time', async () => {
    const other = await (await browser.newContext()).newPage()
    await other.goto(accord.setupUrl)
    await other.getByRole('heading', { name: 'Setup is done' }).waitFor()
  })

  it('adds a committee member from the People page', async () => {
    await page.getByRole('link', { name: 'People' }).click()
    await page.getByRole('button', { name: 'Add person' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add person' })
    await dialog.getByLabel('Name', { exact: true }).fill('Maria Ortega')
    await dialog.getByLabel('Username').fill('maria')
    await dialog.getByLabel('Affiliation').selectOption('board-member')
    await dialog.getByLabel('First password').fill(PASSWORD)
    await dialog.getByRole('button', { name: 'Add person' }).click()
    await page.getByRole('cell', { name: 'maria', exact: true }).waitFor()
    await screenshot(page, 'people')
  })

  it('creates the MOU and makes the board member an owner', async () => {
    await page.getByRole('link', { name: 'Accord: all documents' }).click()
    await page.getByRole('button', { name: 'New document' }).click()
    await page.getByLabel('Title').fill('MOU: Denver Public Schools and Denver Police Department')
    await page.getByRole('button', { name: 'Create document' }).click()
    await page.locator(selectors.documentText).waitFor()
    await page.locator(selectors.documentText).click()
    await page.keyboard.type('Memorandum of Understanding')
    await page.keyboard.press('Enter')
    await page.keyboard.type('This memorandum defines the limited role of the Denver Police Department in district schools.')
    await expect.poll(() => page.locator(selectors.saveStatus).innerText()).toBe('Saved')

    await page.getByRole('button', { name: 'Members' }).click()
    const dialog = page.getByRole('dialog', { name: 'Members' })
    await dialog.getByLabel('Person').selectOption('maria')
    await dialog.getByLabel('Role', { exact: true }).selectOption('owner')
    await dialog.getByRole('button', { name: 'Add', exact: true }).click()
    await dialog.getByLabel('Role of Maria Ortega').waitFor()
    await expect(dialog.getByLabel('Role of Maria Ortega').inputValue()).resolves.toBe('owner')
    await screenshot(page, 'members')
    await dialog.getByRole('button', { name: 'Close' }).click()
    await screenshot(page, 'document-owner')
  })

  it('lists the document on the home page with who is in it now', async () => {
    const home = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage()
    await home.goto(accord.url)
    await home.getByLabel('Username').fill('maria')
    await home.getByLabel('Password').fill(PASSWORD)
    await home.getByRole('button', { name: 'Sign in' }).click()
    const card = home.getByRole('listitem').filter({ hasText: 'MOU: Denver Public Schools' })
    await card.waitFor()
    await expect(card.getByText('Owner').count()).resolves.toBe(1)
    await expect(card.getByLabel(/In this document now: Dana Whitfield/).count()).resolves.toBe(1)
    await screenshot(home, 'home')
  })
})
