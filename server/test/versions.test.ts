import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { documentSchema, VARIABLES_FIELD } from '@accord/shared/schema'
import type { RedlineSummary, RestoreResult, VersionSummary } from '@accord/shared'
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap'
import { strFromU8, unzipSync } from 'fflate'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CHECKPOINT_AFTER_IDLE_MS } from '../src/collab/rooms.js'
import { addMember, createDocument, createPerson, setUpAdmin, type ApiClient } from './support/api.js'
import { CollabClient, connectSynced, waitFor } from './support/collab.js'
import { startTestServer, tempDir, type TestServer } from './support/server.js'

let server: TestServer
let owner: ApiClient
let maria: ApiClient
let tom: ApiClient
let rita: ApiClient
let clerk: ApiClient
let documentId: string
const sockets: CollabClient[] = []

beforeEach(async () => {
  server = await startTestServer()
  owner = await setUpAdmin(server)
  maria = await createPerson(owner, 'maria', 'board-member', 'Maria Ortega')
  tom = await createPerson(owner, 'tom', 'police-liaison', 'Tom Reyes')
  rita = await createPerson(owner, 'rita', 'community-member', 'Rita Chen')
  clerk = await createPerson(owner, 'clerk', 'district-staff', 'Carla Diaz')
  documentId = (await createDocument(owner, 'MOU: School Safety')).id
  await addMember(owner, documentId, 'maria', 'drafter')
  await addMember(owner, documentId, 'tom', 'drafter')
  await addMember(owner, documentId, 'rita', 'reviewer')
  await addMember(owner, documentId, 'clerk', 'clerk')
})

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  await server.close()
})

const connect = async (client: ApiClient) => {
  const socket = await connectSynced(server, documentId, client)
  sockets.push(socket)
  return socket
}

const text = (value: string) => ({ type: 'text', text: value })
const paragraph = (value: string) => ({ type: 'paragraph', content: [text(value)] })
const clause = (id: string, title: string, ...content: object[]) => ({
  type: 'clause',
  attrs: { id },
  content: [{ type: 'clauseTitle', content: [text(title)] }, ...content],
})

const MOU = {
  type: 'doc',
  content: [
    paragraph('This memorandum is between the district and the police department.'),
    clause('sharing', 'Information Sharing', paragraph('The district shall share attendance records weekly with the liaison.')),
    clause('term', 'Term', paragraph('This agreement lasts one school year.')),
  ],
}

/** The Y.XmlText holding `needle`, searched depth first (as the editor's paragraph text). */
function textHolding(socket: CollabClient, needle: string): Y.XmlText {
  const search = (node: Y.XmlElement | Y.XmlFragment): Y.XmlText | null => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText && child.toString().includes(needle)) return child
      if (child instanceof Y.XmlElement) {
        const found = search(child)
        if (found) return found
      }
    }
    return null
  }
  const found = search(socket.text)
  if (!found) throw new Error(`no text holds "${needle}"`)
  return found
}

/** Replaces `before` with `after` where it occurs, as a person selecting and typing would. */
function replace(socket: CollabClient, before: string, after: string): void {
  const target = textHolding(socket, before)
  const at = target.toString().indexOf(before)
  socket.doc.transact(() => {
    target.delete(at, before.length)
    if (after) target.insert(at, after)
  })
}

const plain = (socket: CollabClient) => JSON.stringify(yXmlFragmentToProsemirrorJSON(socket.text))

async function saved(socket: CollabClient): Promise<void> {
  await waitFor(() => socket.saved, 'the edit to be stored')
}

async function saveVersion(client: ApiClient, name: string): Promise<VersionSummary> {
  const response = await client.post<VersionSummary>(`/api/documents/${documentId}/versions`, { name })
  expect(response.status, JSON.stringify(response.body)).toBe(201)
  return response.body
}

async function redline(client: ApiClient, query: string): Promise<RedlineSummary> {
  const response = await client.get<RedlineSummary>(`/api/documents/${documentId}/redline?format=json&${query}`)
  expect(response.status, JSON.stringify(response.body)).toBe(200)
  return response.body
}

async function download(client: ApiClient, path: string): Promise<{ status: number; bytes: Uint8Array; type: string | null }> {
  const response = await fetch(`${server.url}${path}`, { headers: { cookie: client.cookie ?? '' } })
  return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()), type: response.headers.get('content-type') }
}

/** Maria writes the MOU, Tom joins; both screens hold it, stored. */
async function draftTogether(): Promise<{ mariaSocket: CollabClient; tomSocket: CollabClient }> {
  const mariaSocket = await connect(maria)
  mariaSocket.doc.transact(() => {
    prosemirrorJSONToYXmlFragment(documentSchema, MOU, mariaSocket.text)
    mariaSocket.doc.getMap(VARIABLES_FIELD).set('district', 'Denver Public Schools')
  })
  await saved(mariaSocket)
  const tomSocket = await connect(tom)
  await waitFor(() => plain(tomSocket) === plain(mariaSocket), 'Tom to see the draft')
  return { mariaSocket, tomSocket }
}

const EXPORTS = { timeout: 120_000 }

describe('named versions', EXPORTS, () => {
  it('round-trip exactly: the stored version is the text and variables as they were', async () => {
    const { mariaSocket } = await draftTogether()
    const before = plain(mariaSocket)
    const version = await saveVersion(maria, '  Draft for the June 4 meeting  ')
    expect(version).toMatchObject({ name: 'Draft for the June 4 meeting', kind: 'named', createdBy: { username: 'maria', displayName: 'Maria Ortega' } })

    replace(mariaSocket, 'weekly', 'monthly')
    await saved(mariaSocket)

    const stored = new Y.Doc()
    Y.applyUpdate(stored, await server.context.history.versions.state(version.id))
    expect(JSON.stringify(yXmlFragmentToProsemirrorJSON(stored.getXmlFragment('default')))).toBe(before)
    expect(stored.getMap(VARIABLES_FIELD).get('district')).toBe('Denver Public Schools')

    const list = await rita.get<VersionSummary[]>(`/api/documents/${documentId}/versions`)
    expect(list.status).toBe(200)
    expect(list.body.map((item) => item.id)).toContain(version.id)
    expect((await rita.get(`/api/documents/${documentId}/versions/${version.id}`)).body).toEqual(version)

    // Viewed read-only as it was: numbers as they were, the later edit absent.
    const view = await download(rita, `/api/documents/${documentId}/versions/${version.id}/export?format=html&disposition=inline`)
    expect(view.status).toBe(200)
    const html = new TextDecoder().decode(view.bytes)
    expect(html).toContain('share attendance records weekly')
    expect(html).not.toContain('monthly')
    expect(html).toContain('<span class="clause-number">2.</span>')
  })

  it('answers 404 for a version of another document, and 400 for a name that is empty or too long', async () => {
    await draftTogether()
    const version = await saveVersion(maria, 'v1')
    const other = (await createDocument(owner, 'Another MOU')).id
    expect((await owner.get(`/api/documents/${other}/versions/${version.id}`)).status).toBe(404)
    expect((await owner.post(`/api/documents/${other}/versions/${version.id}/restore`)).status).toBe(404)
    expect((await owner.get(`/api/documents/${documentId}/versions/abc`)).status).toBe(404)
    expect((await maria.post(`/api/documents/${documentId}/versions`, { name: '   ' })).status).toBe(400)
    expect((await maria.post(`/api/documents/${documentId}/versions`, { name: 'x'.repeat(121) })).status).toBe(400)
    expect((await maria.post(`/api/documents/${documentId}/versions`, { name: 'ok', extra: 1 })).status).toBe(400)
    const outsider = await createPerson(owner, 'outsider')
    expect((await outsider.get(`/api/documents/${documentId}/versions`)).status).toBe(404)
    expect((await outsider.get(`/api/documents/${documentId}/redline?from=${version.id}`)).status).toBe(404)
  })
})

describe('roles', EXPORTS, () => {
  it('let drafters, clerks and owners save; drafters and owners restore; every member read the history', async () => {
    await draftTogether()
    const version = await saveVersion(clerk, 'Saved by the clerk')
    await saveVersion(owner, 'Saved by the owner')
    expect((await rita.post(`/api/documents/${documentId}/versions`, { name: 'no' })).status).toBe(403)
    expect((await clerk.post(`/api/documents/${documentId}/versions/${version.id}/restore`)).status).toBe(403)
    expect((await rita.post(`/api/documents/${documentId}/versions/${version.id}/restore`)).status).toBe(403)
    expect((await rita.get(`/api/documents/${documentId}/versions`)).status).toBe(200)
    expect((await rita.get(`/api/documents/${documentId}/activity`)).status).toBe(200)
    expect((await download(rita, `/api/documents/${documentId}/redline?from=${version.id}&format=html`)).status).toBe(200)
    // Downloads are exports, which a reviewer may not make.
    expect((await download(rita, `/api/documents/${documentId}/redline?from=${version.id}&format=docx`)).status).toBe(403)
    expect((await tom.post(`/api/documents/${documentId}/versions/${version.id}/restore`)).status).toBe(200)
  })
})

describe('a redline', EXPORTS, () => {
  it('lists exactly the words inserted and deleted between two versions, each with its author', async () => {
    const { mariaSocket, tomSocket } = await draftTogether()
    const v1 = await saveVersion(maria, 'Draft for the June 4 meeting')

    replace(tomSocket, 'weekly', 'monthly')
    await saved(tomSocket)
    replace(mariaSocket, 'one school year', 'two school years')
    await saved(mariaSocket)
    await waitFor(() => plain(tomSocket) === plain(mariaSocket), 'both screens to agree')
    const v2 = await saveVersion(tom, 'After the June 4 meeting')

    const summary = await redline(rita, `from=${v1.id}&to=${v2.id}`)
    expect(summary).toMatchObject({ from: 'Draft for the June 4 meeting', to: 'After the June 4 meeting' })
    const changes = summary.changes.map(({ kind, text, author, affiliation, clause }) => ({ kind, text, author, affiliation, clause }))
    expect(changes).toHaveLength(4)
    expect(changes).toEqual(
      expect.arrayContaining([
        { kind: 'delete', text: 'weekly', author: 'Tom Reyes', affiliation: 'Police liaison', clause: '1' },
        { kind: 'insert', text: 'monthly', author: 'Tom Reyes', affiliation: 'Police liaison', clause: '1' },
        { kind: 'delete', text: 'one school year', author: 'Maria Ortega', affiliation: 'Board member', clause: '2' },
        { kind: 'insert', text: 'two school years', author: 'Maria Ortega', affiliation: 'Board member', clause: '2' },
      ]),
    )

    // Against the current text, and filtered by person or affiliation.
    expect((await redline(rita, `from=${v1.id}&to=current`)).changes).toHaveLength(4)
    const toms = (await redline(rita, `from=${v1.id}&person=tom`)).changes
    expect(toms.map((change) => change.text).sort()).toEqual(['monthly', 'weekly'])
    const board = (await redline(rita, `from=${v1.id}&affiliation=board-member`)).changes
    expect(board.map((change) => change.username)).toEqual(['maria', 'maria'])
    // Nothing changed between a version and itself.
    expect((await redline(rita, `from=${v2.id}&to=${v2.id}`)).changes).toEqual([])

    const html = new TextDecoder().decode((await download(rita, `/api/documents/${documentId}/redline?from=${v1.id}&to=${v2.id}&format=html`)).bytes)
    expect(html).toMatch(/<del class="change" id="change-\d+" title="Deleted by Tom Reyes \(Police liaison\), [^"]+"[^>]*>weekly<\/del>/)
    expect(html).toMatch(/<ins class="change" id="change-\d+" title="Inserted by Maria Ortega \(Board member\), [^"]+"[^>]*>two school years<\/ins>/)

    expect((await rita.get(`/api/documents/${documentId}/redline?from=nope`)).status).toBe(400)
    expect((await rita.get(`/api/documents/${documentId}/redline?from=${v1.id}&format=rtf`)).status).toBe(400)
    expect((await rita.get(`/api/documents/${documentId}/redline?from=999999`)).status).toBe(404)
  })

  it('shows a word changed in its middle as the whole word replaced', async () => {
    const { tomSocket } = await draftTogether()
    const v1 = await saveVersion(maria, 'v1')
    // "weekly" → "yearly" as the editor stores it: the shared ending "ly" is kept, "week" replaced.
    const target = textHolding(tomSocket, 'weekly')
    const at = target.toString().indexOf('weekly')
    tomSocket.doc.transact(() => {
      target.delete(at, 'week'.length)
      target.insert(at, 'year')
    })
    await saved(tomSocket)
    const changes = (await redline(rita, `from=${v1.id}`)).changes.map(({ kind, text, author }) => `${kind} ${text} ${author}`)
    expect(changes).toEqual(['delete weekly Tom Reyes', 'insert yearly Tom Reyes'])
  })

  it('shows a clause moved in the outline as a move, with who moved it, not as deleted and retyped text', async () => {
    const { tomSocket } = await draftTogether()
    const v1 = await saveVersion(maria, 'v1')
    // As the editor moves a clause: deleted where it was, the same clause (same id) inserted before "sharing".
    tomSocket.doc.transact(() => {
      const fragment = tomSocket.text
      const term = fragment.get(2) as Y.XmlElement
      expect(term.getAttribute('id')).toBe('term')
      const copy = new Y.XmlElement('clause')
      copy.setAttribute('id', 'term')
      const title = new Y.XmlElement('clauseTitle')
      title.insert(0, [new Y.XmlText('Term')])
      const body = new Y.XmlElement('paragraph')
      body.insert(0, [new Y.XmlText('This agreement lasts one school year.')])
      copy.insert(0, [title, body])
      fragment.delete(2, 1)
      fragment.insert(1, [copy])
    })
    await saved(tomSocket)
    const summary = await redline(rita, `from=${v1.id}`)
    expect(summary.changes).toEqual([])
    expect(summary.moves).toEqual([expect.objectContaining({ clause: '1', from: '2', author: 'Tom Reyes', affiliation: 'Police liaison' })])
    const html = new TextDecoder().decode((await download(rita, `/api/documents/${documentId}/redline?from=${v1.id}&format=html`)).bytes)
    expect(html).toMatch(/<p class="moved-note">Moved here from Section 2 by Tom Reyes \(Police liaison\), [^<]+<\/p>/)
    expect(html.match(/one school year/g)).toHaveLength(1)
  })

  it('exports as DOCX with real Word tracked changes (w:ins, w:del with author and date), and as PDF', async () => {
    const { tomSocket } = await draftTogether()
    const v1 = await saveVersion(maria, 'v1')
    replace(tomSocket, 'weekly', 'monthly')
    await saved(tomSocket)

    const docx = await download(clerk, `/api/documents/${documentId}/redline?from=${v1.id}&format=docx`)
    expect(docx.status).toBe(200)
    const xml = strFromU8(unzipSync(docx.bytes)['word/document.xml']!)
    const insertion = xml.match(/<w:ins [^>]*>[\s\S]*?<\/w:ins>/)?.[0]
    const deletion = xml.match(/<w:del [^>]*>[\s\S]*?<\/w:del>/)?.[0]
    expect(insertion).toMatch(/w:author="Tom Reyes \(Police liaison\)"/)
    expect(insertion).toMatch(/w:date="\d{4}-\d\d-\d\dT/)
    expect(insertion).toMatch(/<w:t[^>]*>monthly<\/w:t>/)
    expect(deletion).toMatch(/w:author="Tom Reyes \(Police liaison\)"/)
    expect(deletion).toMatch(/<w:delText[^>]*>weekly<\/w:delText>/)

    const pdf = await download(clerk, `/api/documents/${documentId}/redline?from=${v1.id}&format=pdf`)
    expect(pdf.status).toBe(200)
    expect(pdf.type).toBe('application/pdf')
    const file = path.join(tempDir('accord-redline-'), 'redline.pdf')
    fs.writeFileSync(file, pdf.bytes)
    const pdfText = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
    expect(pdfText).toMatch(/Deleted by Tom Reyes \(Police liaison\), [\d-]+ [\d:]+ UTC, Section 1 “weekly”/)
    expect(pdfText).toMatch(/Inserted by Tom Reyes \(Police liaison\), [\d-]+ [\d:]+ UTC, Section 1 “monthly”/)
    expect(pdfText).toContain('share attendance records weeklymonthly with the liaison')
  })
})

describe('restoring a version', EXPORTS, () => {
  it('brings the old text back on every screen as a new change, keeps comments on unchanged text, and can itself be undone', async () => {
    const { mariaSocket, tomSocket } = await draftTogether()
    const v1 = await saveVersion(maria, 'Draft for the June 4 meeting')
    const v1Text = plain(mariaSocket)

    // Rita comments on "attendance records", which the later edit leaves alone.
    const target = textHolding(mariaSocket, 'attendance records')
    const at = target.toString().indexOf('attendance records')
    const encode = (index: number, assoc: number) =>
      Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(target, index, assoc))).toString('base64')
    const thread = await rita.post(`/api/documents/${documentId}/threads`, {
      body: 'Which records exactly?',
      quote: 'attendance records',
      anchor: { start: encode(at, 0), end: encode(at + 'attendance records'.length - 1, -1), clauseId: 'sharing' },
    })
    expect(thread.status).toBe(201)

    replace(tomSocket, 'weekly', 'every day')
    replace(tomSocket, 'one school year', 'three years')
    await saved(tomSocket)
    await waitFor(() => plain(mariaSocket) === plain(tomSocket), 'both screens to agree')
    const edited = plain(tomSocket)
    const storedRows = ((await server.storage.sql.prepare('SELECT COUNT(*) AS count FROM document_updates WHERE document_id = ?').get(documentId)) as { count: number }).count

    const restore = await maria.post<RestoreResult>(`/api/documents/${documentId}/versions/${v1.id}/restore`)
    expect(restore.status, JSON.stringify(restore.body)).toBe(200)
    await waitFor(() => plain(mariaSocket) === v1Text && plain(tomSocket) === v1Text, 'both screens to show the restored text')
    // A new recorded change: stored rows were added to, never rewritten.
    const rowsAfter = ((await server.storage.sql.prepare('SELECT COUNT(*) AS count FROM document_updates WHERE document_id = ?').get(documentId)) as { count: number }).count
    expect(rowsAfter).toBeGreaterThan(storedRows)

    // The comment's anchor still resolves to the same words.
    const threads = await rita.get(`/api/documents/${documentId}/threads`)
    expect(threads.body).toHaveLength(1)
    const resolve = (encoded: string) =>
      Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(encoded, 'base64')), tomSocket.doc)
    const start = resolve(threads.body[0].anchor.start)!
    const end = resolve(threads.body[0].anchor.end)!
    expect(start.type.toString().slice(start.index, end.index + 1)).toBe('attendance records')

    // The restore was Maria's change, as the redline says.
    const restoredChanges = (await redline(rita, `from=${restore.body.before.id}&to=current`)).changes
    expect(new Set(restoredChanges.map((change) => change.author))).toEqual(new Set(['Maria Ortega']))
    // Shown as whole words, though the restore kept the letter both words share.
    const restoredWords = restoredChanges.map((change) => `${change.kind} ${change.text}`)
    expect(restoredWords).toEqual(expect.arrayContaining(['delete every day', 'insert weekly', 'insert one school year']))

    // Restoring the version taken just before undoes the restore.
    expect(restore.body.before.kind).toBe('automatic')
    const undo = await tom.post(`/api/documents/${documentId}/versions/${restore.body.before.id}/restore`)
    expect(undo.status).toBe(200)
    await waitFor(() => plain(mariaSocket) === edited && plain(tomSocket) === edited, 'both screens to show the edit again')
  })

  it('is refused once the document is final', async () => {
    const { mariaSocket } = await draftTogether()
    mariaSocket.doc.transact(() => {
      for (const key of ['district', 'policeDepartment', 'effectiveDate', 'superintendent', 'chiefOfPolice']) mariaSocket.doc.getMap(VARIABLES_FIELD).set(key, 'x')
    })
    await saved(mariaSocket)
    const v1 = await saveVersion(maria, 'v1')
    const finalized = await owner.post(`/api/documents/${documentId}/finalize`)
    if (finalized.status !== 201) return expect.fail(`finalize failed: ${JSON.stringify(finalized.body)}`)
    expect((await owner.post(`/api/documents/${documentId}/versions/${v1.id}/restore`)).status).toBe(403)
    expect((await maria.post(`/api/documents/${documentId}/versions`, { name: 'v2' })).status).toBe(403)
    expect((await rita.get(`/api/documents/${documentId}/versions`)).status).toBe(200)
  }, 120_000)
})

describe('automatic checkpoints and the activity feed', EXPORTS, () => {
  it('keeps a checkpoint when a burst of editing ends and when the document is closed, and says who edited which clause', async () => {
    const { mariaSocket, tomSocket } = await draftTogether()
    replace(tomSocket, 'weekly', 'monthly')
    await saved(tomSocket)
    // The burst is over once no edit came for a while; the check runs with the heartbeat.
    server.context.rooms.checkpointQuietRooms(Date.now() + CHECKPOINT_AFTER_IDLE_MS)
    let versions = (await rita.get<VersionSummary[]>(`/api/documents/${documentId}/versions`)).body
    expect(versions.map((version) => [version.kind, version.name, version.createdBy])).toEqual([['automatic', 'Automatic checkpoint', null]])
    // Nothing new since: no second checkpoint.
    server.context.rooms.checkpointQuietRooms(Date.now() + CHECKPOINT_AFTER_IDLE_MS)
    expect((await rita.get<VersionSummary[]>(`/api/documents/${documentId}/versions`)).body).toHaveLength(1)

    replace(mariaSocket, 'one school year', 'two school years')
    await saved(mariaSocket)
    mariaSocket.destroy()
    tomSocket.destroy()
    await waitFor(async () => (await server.context.history.versions.list(documentId)).length === 2, 'a checkpoint when the document is closed')
    versions = (await rita.get<VersionSummary[]>(`/api/documents/${documentId}/versions`)).body
    expect(versions[0]!.kind).toBe('automatic')

    // Who edited what is worked out by an export worker after the checkpoint is stored.
    const sentences = async () => {
      const activity = (await rita.get(`/api/documents/${documentId}/activity`)).body as { kind: string; person: { username: string } | null; detail: string }[]
      return activity.map((item) => `${item.person?.username ?? '-'} ${item.kind} ${item.detail}`.trim())
    }
    await expect
      .poll(sentences, { timeout: 30_000 })
      .toEqual(expect.arrayContaining(['maria joined', 'tom joined', 'maria edited Section 2', 'tom edited Section 1']))
    expect((await sentences()).filter((sentence) => sentence === 'tom joined')).toHaveLength(1)
  })
})
