import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { EXPORT_FORMATS, type DocumentSummary, type ExportFormat, type FinalSummary } from '@accord/shared'
import { documentSchema, VARIABLES_FIELD } from '@accord/shared/schema'
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap'
import { strFromU8, unzipSync } from 'fflate'
import { parseHTML } from 'linkedom'
import MarkdownIt from 'markdown-it'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ExportRunner } from '../src/export/runner.js'
import { addMember, createDocument, createPerson, setUpAdmin, type ApiClient } from './support/api.js'
import { CollabClient, connectSynced, waitFor } from './support/collab.js'
import { startTestServer, tempDir, type TestServer } from './support/server.js'

let server: TestServer
let owner: ApiClient
let clerk: ApiClient
let documentId: string
const sockets: CollabClient[] = []

beforeEach(async () => {
  server = await startTestServer()
  owner = await setUpAdmin(server)
  clerk = await createPerson(owner, 'clerk', 'district-staff', 'Nguyễn Thị Lan')
  documentId = (await createDocument(owner, 'MOU: School Safety')).id
  await addMember(owner, documentId, 'clerk', 'clerk')
})

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  await server.close()
})

const track = (socket: CollabClient) => {
  sockets.push(socket)
  return socket
}

const text = (value: string, marks: object[] = []) => ({ type: 'text', text: value, ...(marks.length ? { marks } : {}) })
const paragraph = (...content: object[]) => ({ type: 'paragraph', content })
const variable = (key: string) => ({ type: 'variable', attrs: { key } })
const reference = (clauseId: string) => ({ type: 'crossReference', attrs: { clauseId } })
const clause = (id: string, title: string, ...content: object[]) => ({
  type: 'clause',
  attrs: { id },
  content: [{ type: 'clauseTitle', content: [text(title)] }, ...content],
})

/** A document with every node type the editor has, as the editor would send it. */
const EVERY_NODE = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 1 }, content: [text('Recitals')] },
    paragraph(
      text('This memorandum is between '),
      variable('district'),
      text(' and '),
      variable('policeDepartment'),
      text(', effective '),
      variable('effectiveDate'),
      text('.'),
    ),
    clause(
      'purpose',
      'Purpose and Scope',
      paragraph(text('Bold words', [{ type: 'bold' }]), text(' and '), text('italic words', [{ type: 'italic' }]), text(' and '), text('underlined words', [{ type: 'underline' }]), text('.')),
      paragraph(text('Read the '), text('district policy', [{ type: 'link', attrs: { href: 'https://example.org/policy' } }]), text(' first.')),
      clause(
        'definitions',
        'Definitions',
        { type: 'bulletList', content: [{ type: 'listItem', content: [paragraph(text('School grounds'))] }, { type: 'listItem', content: [paragraph(text('Student records'))] }] },
        clause('records', 'Records of Students', paragraph(text('As defined in '), reference('term'), text('.'))),
      ),
    ),
    clause(
      'term',
      'Term',
      { type: 'orderedList', attrs: { start: 1 }, content: [{ type: 'listItem', content: [paragraph(text('Review yearly'))] }, { type: 'listItem', content: [paragraph(text('Renew by vote'))] }] },
      paragraph(text('See '), reference('records'), text(' for records.')),
    ),
    { type: 'blockquote', content: [paragraph(text('Quoted text from the statute.'))] },
    paragraph(text('Durante el año escolar, los niños y las familias reciben la información en español.')),
    { type: 'signatureBlock', attrs: { signatories: [{ party: '{{district}}', name: '{{superintendent}}', title: 'Superintendent' }] } },
  ],
}

/** What every format must say, in this order. */
const EXPECTED_IN_ORDER = [
  'MOU: School Safety',
  'Recitals',
  'This memorandum is between Denver Public Schools and Denver Police Department, effective [Effective Date — not set].',
  '1. Purpose and Scope',
  'Bold words and italic words and underlined words.',
  'Read the district policy first.',
  '1.1. Definitions',
  'School grounds',
  'Student records',
  '1.1.1. Records of Students',
  'As defined in Section 2.',
  '2. Term',
  'Review yearly',
  'Renew by vote',
  'See Section 1.1.1 for records.',
  'Quoted text from the statute.',
  'Durante el año escolar, los niños y las familias reciben la información en español.',
  'For Denver Public Schools',
  'Name: Nguyễn Văn An',
  'Title: Superintendent',
]

async function writeDocument(client: ApiClient, content: object, variables: Record<string, string>): Promise<CollabClient> {
  const socket = track(await connectSynced(server, documentId, client))
  socket.doc.transact(() => {
    prosemirrorJSONToYXmlFragment(documentSchema, content, socket.text)
    for (const [key, value] of Object.entries(variables)) socket.doc.getMap(VARIABLES_FIELD).set(key, value)
  })
  await waitFor(() => socket.saved, 'the document to be stored')
  return socket
}

interface Download {
  status: number
  headers: Headers
  bytes: Uint8Array
}

async function download(client: ApiClient, query: string): Promise<Download> {
  const response = await fetch(`${server.url}/api/documents/${documentId}/export?${query}`, { headers: { cookie: client.cookie ?? '' } })
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) }
}

/** Each format read back as text the way its readers would see it. */
function readBack(format: ExportFormat, bytes: Uint8Array): string {
  switch (format) {
    case 'docx': {
      const files = unzipSync(bytes)
      const xml = strFromU8(files['word/document.xml']!)
      const footer = Object.entries(files)
        .filter(([name]) => /^word\/footer\d*\.xml$/.test(name))
        .map(([, data]) => strFromU8(data))
        .join('\n')
      return [xml, footer].map(docxText).join('\n')
    }
    case 'pdf': {
      const file = path.join(tempDir('accord-pdf-'), 'export.pdf')
      fs.writeFileSync(file, bytes)
      return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    }
    case 'html':
      return htmlText(new TextDecoder().decode(bytes))
    case 'md':
      // Read by a real CommonMark parser, raw HTML allowed: escaping alone must keep text text.
      return htmlText(markdownToHtml(bytes))
    case 'txt':
      return new TextDecoder().decode(bytes)
  }
}

const markdownToHtml = (bytes: Uint8Array): string => new MarkdownIt({ html: true }).render(new TextDecoder().decode(bytes))

/** The text of an HTML page's blocks, one per line, line breaks kept. */
function htmlText(html: string): string {
  const { document } = parseHTML(html.replace(/<br\s*\/?>/g, '\n'))
  return Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6, p, li, footer'))
    .map((element) => element.textContent)
    .join('\n')
}

/** Paragraph texts of a WordprocessingML part, entities decoded. */
function docxText(xml: string): string {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)]
    .map(([paragraphXml]) =>
      [...paragraphXml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:br\/>/g)].map((match) => (match[1] === undefined ? '\n' : decodeXml(match[1]))).join(''),
    )
    .join('\n')
}

const decodeXml = (value: string) =>
  value.replace(/&(lt|gt|quot|apos|amp);/g, (_match, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name]!)

const squash = (value: string) => value.replace(/\s+/g, ' ').trim()

function expectInOrder(haystack: string, needles: readonly string[], format: string): void {
  const flat = squash(haystack)
  let from = 0
  for (const needle of needles) {
    const at = flat.indexOf(squash(needle), from)
    expect(at, `${format}: "${needle}" after position ${from}`).toBeGreaterThanOrEqual(0)
    from = at + squash(needle).length
  }
}

// Each export starts a worker and renders real files; on a busy two-core machine that takes a while.
const EXPORTS = { timeout: 120_000 }

describe('exporting a document', EXPORTS, () => {
  it('says the same numbered text, with the same fingerprint, in all five formats', async () => {
    await writeDocument(owner, EVERY_NODE, {
      district: 'Denver Public Schools',
      policeDepartment: 'Denver Police Department',
      superintendent: 'Nguyễn Văn An',
    })
    const fingerprints = new Set<string>()
    const files = new Map<ExportFormat, Uint8Array>()
    for (const format of EXPORT_FORMATS) {
      const result = await download(clerk, `format=${format}`)
      files.set(format, result.bytes)
      expect(result.status, format).toBe(200)
      const fingerprint = result.headers.get('x-export-fingerprint')!
      expect(fingerprint).toMatch(/^[0-9a-f]{12}$/)
      fingerprints.add(fingerprint)
      const disposition = result.headers.get('content-disposition')!
      expect(disposition).toMatch(new RegExp(`^attachment; filename="MOU School Safety - Draft \\d{4}-\\d{2}-\\d{2}\\.${format}"; filename\\*=UTF-8''`))
      const content = readBack(format, result.bytes)
      expectInOrder(content, EXPECTED_IN_ORDER, format)
      expect(squash(content), format).toContain(`DRAFT · Draft `)
      expect(squash(content), format).toContain(`Fingerprint ${fingerprint}`)
    }
    expect(fingerprints.size).toBe(1)

    const html = parseHTML(new TextDecoder().decode(files.get('html'))).document
    expect(html.querySelector('a')?.getAttribute('href')).toBe('https://example.org/policy')
    expect(html.querySelector('strong')?.textContent).toBe('Bold words')
    expect(html.querySelector('u')?.textContent).toBe('underlined words')
    expect(html.querySelector('.unresolved')?.textContent).toBe('[Effective Date — not set]')

    const docx = unzipSync(files.get('docx')!)
    const documentXml = strFromU8(docx['word/document.xml']!)
    expect(documentXml).toMatch(/<w:b\/>[\s\S]*?<w:t[^>]*>Bold words<\/w:t>/)
    expect(documentXml).toMatch(/<w:u w:val="single"\/>[\s\S]*?<w:t[^>]*>underlined words<\/w:t>/)
    expect(strFromU8(docx['word/_rels/document.xml.rels']!)).toContain('Target="https://example.org/policy"')
    expect(strFromU8(docx['word/header1.xml'] ?? docx['word/header2.xml']!)).toContain('MOU: School Safety')

    const pdfText = readBack('pdf', files.get('pdf')!)
    expect(pdfText).toMatch(/Page 1 of \d+/)
    const pages = Number(/Page 1 of (\d+)/.exec(pdfText)![1])
    expect(pdfText.split('MOU: School Safety').length - 1, 'the title above the text and in every page header').toBe(pages + 1)
    expect(Buffer.from(files.get('pdf')!).toString('latin1')).toContain('/URI (https://example.org/policy)')
    const fonts = execFileSync('pdffonts', ['-'], { input: files.get('pdf'), encoding: 'utf8' })
    expect(fonts).toMatch(/DejaVu/)
    expect(fonts).not.toMatch(/Helvetica|Times-Roman|Courier/)

    const markdown = new TextDecoder().decode(files.get('md'))
    expect(markdown).toContain('## 1. Purpose and Scope')
    expect(markdown).toContain('#### 1.1.1. Records of Students')
    expect(markdown).toContain('[district policy](<https://example.org/policy>)')
    expect(markdown).toContain('\\[Effective Date — not set\\]')
    const rendered = parseHTML(markdownToHtml(files.get('md')!)).document
    expect(rendered.querySelector('a')?.getAttribute('href')).toBe('https://example.org/policy')
    expect(Array.from(rendered.querySelectorAll('strong')).map((element) => element.textContent)).toEqual(['DRAFT', 'Bold words'])
    expect(Array.from(rendered.querySelectorAll('em')).map((element) => element.textContent)).toContain('italic words')
    expect(rendered.querySelector('u')?.textContent).toBe('underlined words')
    expect(rendered.querySelector('h4')?.textContent).toBe('1.1.1. Records of Students')
  })

  it('keeps hostile text literal and safe in every format', async () => {
    const hostile = '<script>alert("x")</script> javascript:alert(1) ]]> & <w:t> \u202Egnp.exe \u0000\u0008 *not bold* [link](http://evil) # not a heading'
    const long = 'word '.repeat(200_000).trim()
    await writeDocument(
      owner,
      {
        type: 'doc',
        content: [paragraph(text(hostile)), paragraph(text('1. not a list')), paragraph(text(long)), paragraph(text('After the long paragraph'))],
      },
      {},
    )
    const files = new Map<ExportFormat, Download>()
    for (const format of EXPORT_FORMATS) {
      const result = await download(clerk, `format=${format}`)
      files.set(format, result)
      expect(result.status, format).toBe(200)
      const content = readBack(format, result.bytes)
      // The PDF draws text in logical order, where a direction override is invisible and has no effect.
      const override = format === 'pdf' ? '' : '\u202E'
      const literal = `<script>alert("x")</script> javascript:alert(1) ]]> & <w:t> ${override}gnp.exe \ufffd\ufffd *not bold* [link](http://evil) # not a heading`
      expect(squash(content), format).toContain(squash(literal))
      expect(squash(content), format).toContain('After the long paragraph')
      expect(content.split('word').length - 1, format).toBe(200_000)
    }
    const html = new TextDecoder().decode(files.get('html')!.bytes)
    const { document } = parseHTML(html)
    expect(document.querySelectorAll('script')).toHaveLength(0)
    expect(document.querySelectorAll('a')).toHaveLength(0)
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
    expect(files.get('html')!.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/)

    const markdown = new TextDecoder().decode(files.get('md')!.bytes)
    expect(markdown).toContain('\\<script\\>')
    expect(markdown).toContain('1\\. not a list')
    const rendered = parseHTML(markdownToHtml(files.get('md')!.bytes)).document
    expect(rendered.querySelectorAll('script, a, ol, ul, h2, h3, u')).toHaveLength(0)
    expect(Array.from(rendered.querySelectorAll('em, strong')).map((element) => element.textContent)).not.toContain('not bold')

    // The DOCX is well-formed XML whatever the text held.
    const documentXml = strFromU8(unzipSync(files.get('docx')!.bytes)['word/document.xml']!)
    expect(documentXml).not.toMatch(/[\u0000-\u0008]/)
    const { document: xmlDocument } = parseHTML(`<div>${documentXml.replace(/^<\?xml[^>]*>/, '')}</div>`)
    expect(xmlDocument.querySelectorAll('w\\:t').length).toBeGreaterThan(0)
  })

  it('names the file after the title safely', async () => {
    expect((await owner.patch(`/api/documents/${documentId}`, { title: 'Acuerdo: Año "2026" /\u202Etxt.exe</title><script>x()</script>' })).status).toBe(200)
    const result = await download(clerk, 'format=txt')
    const disposition = result.headers.get('content-disposition')!
    expect(disposition).toMatch(
      /^attachment; filename="Acuerdo Ano 2026 txt\.exe title script x\(\) script - Draft \d{4}-\d{2}-\d{2}\.txt"; filename\*=UTF-8''Acuerdo%20A%C3%B1o%202026%20txt\.exe%20title%20script%20x%28%29%20script%20-%20Draft%20/,
    )
    expect(disposition).not.toMatch(/\u202E|%E2%80%AE/)
    // Inside the file the title is text, whatever it holds.
    const html = parseHTML(new TextDecoder().decode((await download(clerk, 'format=html')).bytes)).document
    expect(html.querySelector('h1')?.textContent).toBe('Acuerdo: Año "2026" /\u202Etxt.exe</title><script>x()</script>')
    expect(html.querySelectorAll('script')).toHaveLength(0)
  })

  it('adds the comment threads as an appendix only when asked', async () => {
    await writeDocument(owner, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'The officer shall notify the principal.' }] }] }, {})
    const anchor = { start: 'AQLs3Z6ZBRAA', end: 'AQLs3Z6ZBRcA', clauseId: null }
    const created = await clerk.post(`/api/documents/${documentId}/threads`, { body: 'Within how many hours?', quote: 'shall notify', anchor })
    expect(created.status).toBe(201)
    const withComments = new TextDecoder().decode((await download(clerk, 'format=txt&comments=1')).bytes)
    expect(withComments).toContain('shall notify')
    expect(withComments).toContain('Within how many hours?')
    const plain = new TextDecoder().decode((await download(clerk, 'format=txt')).bytes)
    expect(plain).not.toContain('Within how many hours?')
    // The same text is fingerprinted either way: the appendix is not the agreement.
    expect(withComments.match(/[0-9a-f]{12}/)?.[0]).toBe(plain.match(/[0-9a-f]{12}/)?.[0])
  })

  it('follows the role matrix: reviewers and viewers may not export a draft', async () => {
    await writeDocument(owner, EVERY_NODE, {})
    for (const [username, role] of [
      ['reviewer', 'reviewer'],
      ['viewer', 'viewer'],
      ['drafter', 'drafter'],
    ] as const) {
      const person = await createPerson(owner, username)
      await addMember(owner, documentId, username, role)
      const result = await download(person, 'format=pdf')
      expect(result.status, role).toBe(role === 'drafter' ? 200 : 403)
    }
    const outsider = await createPerson(owner, 'outsider')
    expect((await download(outsider, 'format=pdf')).status).toBe(404)
    const bad = await download(clerk, 'format=exe')
    expect(bad.status).toBe(400)
    expect(JSON.parse(new TextDecoder().decode(bad.bytes))).toMatchObject({ error: 'invalid_request' })
  })
})

describe('the export worker', EXPORTS, () => {
  const job = {
    title: 'Limits',
    updates: [] as Uint8Array[],
    formats: ['pdf' as const],
    stamp: { versionLabel: 'Draft', date: '2026-01-01', final: false },
    threads: null,
  }

  it('is stopped at its time limit and answers 503', async () => {
    const runner = new ExportRunner({ timeoutMs: 1, finalizeTimeoutMs: 1, maxHeapMb: 256, concurrency: 2 })
    await expect(runner.run(job)).rejects.toMatchObject({ status: 503, code: 'export_timeout' })
    // The slot is free again: a later export runs.
    const relaxed = new ExportRunner()
    await expect(relaxed.run(job)).resolves.toMatchObject({ fingerprint: expect.stringMatching(/^[0-9a-f]{12}$/) })
  })

  it('fails alone when it runs out of its memory limit', async () => {
    const runner = new ExportRunner({ timeoutMs: 60_000, finalizeTimeoutMs: 60_000, maxHeapMb: 4, concurrency: 2 })
    await expect(runner.run(job)).rejects.toMatchObject({ status: 503, code: 'export_too_large' })
  })

  it('refuses more exports than it may run at once', async () => {
    const runner = new ExportRunner({ timeoutMs: 60_000, finalizeTimeoutMs: 60_000, maxHeapMb: 256, concurrency: 1 })
    const first = runner.run(job)
    await expect(runner.run(job)).rejects.toMatchObject({ status: 503, code: 'export_busy' })
    await first
  })
})

describe('finalizing', EXPORTS, () => {
  const VARIABLES = {
    district: 'Denver Public Schools',
    policeDepartment: 'Denver Police Department',
    effectiveDate: 'August 1, 2026',
    superintendent: 'Nguyễn Văn An',
  }

  it('freezes the text: sockets and REST refuse edits, every member downloads the same bytes', async () => {
    const drafter = await createPerson(owner, 'drafter')
    await addMember(owner, documentId, 'drafter', 'drafter')
    const viewer = await createPerson(owner, 'viewer')
    await addMember(owner, documentId, 'viewer', 'viewer')
    await writeDocument(owner, EVERY_NODE, VARIABLES)
    const drafterSocket = track(await connectSynced(server, documentId, drafter))
    expect(drafterSocket.sessions).toEqual([{ role: 'drafter', canEdit: true }])
    const draftFingerprint = (await download(clerk, 'format=txt')).headers.get('x-export-fingerprint')

    expect((await drafter.post(`/api/documents/${documentId}/finalize`)).status).toBe(403)
    const finalized = await clerk.post<FinalSummary>(`/api/documents/${documentId}/finalize`)
    expect(finalized.status).toBe(201)
    expect(finalized.body).toMatchObject({ versionLabel: 'Final 1', fingerprint: draftFingerprint, finalizedBy: { username: 'clerk' }, reopenedBy: null })
    expect((await owner.get<DocumentSummary>(`/api/documents/${documentId}`)).body.status).toBe('final')

    // The open socket loses write access at once; what it writes now is refused, not stored.
    await waitFor(() => drafterSocket.sessions.length === 2, 'the drafter to be admitted read-only')
    expect(drafterSocket.sessions[1]).toEqual({ role: 'drafter', canEdit: false })
    drafterSocket.appendParagraph('Written after the vote')
    await waitFor(() => drafterSocket.refusals.length > 0, 'the write to be refused')
    const ownerSocket = track(await connectSynced(server, documentId, owner))
    expect(ownerSocket.sessions).toEqual([{ role: 'owner', canEdit: false }])
    expect(ownerSocket.plainText()).not.toContain('Written after the vote')

    // REST: no renaming, no archiving, no second finalize.
    expect((await owner.patch(`/api/documents/${documentId}`, { title: 'Changed' })).status).toBe(403)
    expect((await owner.patch(`/api/documents/${documentId}`, { status: 'active' })).status).toBe(403)
    expect((await clerk.post(`/api/documents/${documentId}/finalize`)).status).toBe(403)

    for (const format of EXPORT_FORMATS) {
      const first = await download(viewer, `format=${format}`)
      const second = await download(owner, `format=${format}`)
      expect(first.status, format).toBe(200)
      expect(Buffer.from(first.bytes).equals(Buffer.from(second.bytes)), format).toBe(true)
      expect(first.headers.get('content-disposition')).toContain(`filename="MOU School Safety - Final 1.${format}"`)
      const content = squash(readBack(format, first.bytes))
      expect(content, format).toContain(`FINAL · Final 1 · `)
      expect(content, format).toContain(`Fingerprint ${draftFingerprint}`)
      expect(content, format).toContain('effective August 1, 2026.')
      expect(content, format).not.toContain('DRAFT')
    }

    const reviewer = await createPerson(owner, 'reviewer')
    await addMember(owner, documentId, 'reviewer', 'reviewer')
    for (const person of [drafter, clerk, reviewer]) expect((await download(person, 'format=pdf')).status).toBe(200)

    // Regenerating from the stored state gives the same text and fingerprint.
    const stored = (await server.storage.sql.prepare('SELECT state, txt, title, version_label FROM document_finals').get()) as { state: Buffer; txt: Buffer; title: string }
    const { renderExport } = await import('../src/export/render.js')
    const again = await renderExport({
      title: stored.title,
      updates: [new Uint8Array(stored.state)],
      formats: ['txt'],
      stamp: { versionLabel: 'Final 1', date: new Date().toISOString().slice(0, 10), final: true },
      threads: null,
    })
    expect(again.fingerprint).toBe(draftFingerprint)
    expect(new TextDecoder().decode(again.files.txt)).toBe(stored.txt.toString('utf8'))
  })

  it('refuses to finalize while variables are unset, and leaves the document editable', async () => {
    await writeDocument(owner, EVERY_NODE, { district: 'Denver Public Schools' })
    const refused = await clerk.post(`/api/documents/${documentId}/finalize`)
    expect(refused.status).toBe(409)
    expect(refused.body).toMatchObject({ error: 'unset_variables' })
    expect(refused.body.message).toContain('Effective Date')
    expect((await owner.get<DocumentSummary>(`/api/documents/${documentId}`)).body.status).toBe('active')
  })

  it('can be reopened only by an owner, and the reopening is recorded', async () => {
    await writeDocument(owner, EVERY_NODE, VARIABLES)
    expect((await owner.post(`/api/documents/${documentId}/finalize`)).status).toBe(201)
    expect((await clerk.post(`/api/documents/${documentId}/reopen`)).status).toBe(403)
    const reopened = await owner.post<DocumentSummary>(`/api/documents/${documentId}/reopen`)
    expect(reopened.status).toBe(200)
    expect(reopened.body.status).toBe('active')
    expect((await owner.post(`/api/documents/${documentId}/reopen`)).status).toBe(403)

    const history = await clerk.get<FinalSummary[]>(`/api/documents/${documentId}/finals`)
    expect(history.body).toHaveLength(1)
    expect(history.body[0]).toMatchObject({ versionLabel: 'Final 1', reopenedBy: { username: 'admin' } })
    expect(history.body[0]!.reopenedAt).toMatch(/^\d{4}-/)

    // Editable again, and a second Final gets the next label.
    const socket = track(await connectSynced(server, documentId, owner))
    expect(socket.sessions).toEqual([{ role: 'owner', canEdit: true }])
    expect((await clerk.post<FinalSummary>(`/api/documents/${documentId}/finalize`)).body.versionLabel).toBe('Final 2')
  })
})
