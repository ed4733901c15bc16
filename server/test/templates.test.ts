import type { Template } from '@accord/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addMember, ApiClient, createDocument, createPerson, setUpAdmin } from './support/api.js'
import { CollabClient, connectSynced, waitFor } from './support/collab.js'
import { RawCollabSocket } from './support/rawSocket.js'
import { startTestServer, type TestServer } from './support/server.js'

let server: TestServer
let admin: ApiClient
const cleanup: Array<() => void> = []

beforeEach(async () => {
  server = await startTestServer()
  admin = await setUpAdmin(server)
})

afterEach(async () => {
  for (const done of cleanup.splice(0)) done()
  await server.close()
})

const template = {
  title: 'Body-worn cameras in schools',
  category: 'records',
  summary: 'When officers record inside a school, and who may see it.',
  body: ['Officers of {{policeDepartment}} record only during enforcement action.', '- no recording in restrooms\n- no recording in counseling offices'],
  subclauses: [{ title: 'Access to footage', body: ['Families may view footage of their own child.'] }],
}

describe('the starter library', () => {
  it('is seeded on a fresh database, complete and usable', async () => {
    const { status, body } = await admin.get<Template[]>('/api/templates')
    expect(status).toBe(200)
    expect(body.length).toBeGreaterThanOrEqual(20)
    const keys = body.map((entry) => entry.key)
    for (const key of ['purpose', 'questioning', 'use-of-force', 'training', 'student-records', 'complaints', 'term-termination', 'signatures']) {
      expect(keys).toContain(key)
    }
    for (const entry of body) {
      expect(entry.version).toBe(1)
      expect(entry.body.length).toBeGreaterThan(0)
    }
    expect(body.find((entry) => entry.key === 'term-termination')!.variables).toEqual(expect.arrayContaining(['termYears', 'noticeDays']))
  })

  it('is seeded once: a restart adds nothing', async () => {
    const before = (await admin.get<Template[]>('/api/templates')).body.length
    await server.close()
    server = await startTestServer(server.dataDir)
    const again = new ApiClient(server)
    again.cookie = admin.cookie
    expect((await again.get<Template[]>('/api/templates')).body.length).toBe(before)
  })
})

describe('changing the library', () => {
  it('is for site admins only, checked before the body', async () => {
    const drafter = await createPerson(admin, 'drafter', 'police-liaison')
    expect((await drafter.post('/api/templates', template)).status).toBe(403)
    expect((await drafter.post('/api/templates', { nonsense: true })).status).toBe(403)
    const someId = (await admin.get<Template[]>('/api/templates')).body[0]!.id
    expect((await drafter.put(`/api/templates/${someId}`, template)).status).toBe(403)
    expect((await drafter.delete(`/api/templates/${someId}`)).status).toBe(403)
    expect((await new ApiClient(server).get('/api/templates')).status).toBe(401)
    expect((await drafter.get('/api/templates')).status).toBe(200)
  })

  it('versions every change and retires without deleting', async () => {
    const created = await admin.post<Template>('/api/templates', template)
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ title: template.title, version: 1, variables: ['policeDepartment'], retired: false })

    const updated = await admin.put<Template>(`/api/templates/${created.body.id}`, { ...template, body: ['Revised.'] })
    expect(updated.body.version).toBe(2)
    const versions = await admin.get<Array<{ version: number; body: string[] }>>(`/api/templates/${created.body.id}/versions`)
    expect(versions.body.map((version) => [version.version, version.body[0]])).toEqual([
      [1, template.body[0]],
      [2, 'Revised.'],
    ])

    expect((await admin.delete(`/api/templates/${created.body.id}`)).status).toBe(204)
    const list = await admin.get<Template[]>('/api/templates')
    expect(list.body.some((entry) => entry.id === created.body.id)).toBe(false)
    expect((await admin.get<Template>(`/api/templates/${created.body.id}`)).body.retired).toBe(true)
    expect((await admin.post<Template>(`/api/templates/${created.body.id}/restore`)).body.retired).toBe(false)
  })

  it('refuses bad input with a clear 400 and stores nothing', async () => {
    const count = (await admin.get<Template[]>('/api/templates')).body.length
    const cases: Array<[string, unknown, RegExp]> = [
      ['script', { ...template, body: ['<script>alert(1)</script>'] }, /HTML/],
      ['markup in a title', { ...template, title: '<img src=x onerror=alert(1)>' }, /HTML/],
      ['a javascript: link', { ...template, body: ['see javascript:alert(1)'] }, /HTML/],
      ['oversized', { ...template, body: Array.from({ length: 12 }, () => 'x'.repeat(4000)) }, /40,000/],
      ['too deep', { ...template, subclauses: [{ title: 'a', body: [], subclauses: [{ title: 'b', body: [], subclauses: [{ title: 'c', body: [] }] }] }] }, /three levels/],
      ['an unknown category', { ...template, category: 'misc' }, /Category/],
      ['no title', { ...template, title: '' }, /title/],
      ['an unknown field', { ...template, html: '<b>x</b>' }, /.+/],
    ]
    for (const [what, body, message] of cases) {
      const response = await admin.post('/api/templates', body)
      expect(response.status, what).toBe(400)
      expect(response.body.error, what).toBe('invalid_request')
      expect(response.body.message, what).toMatch(message)
    }
    expect((await admin.post('/api/templates', '{"title": ')).status).toBe(400)
    expect((await admin.post('/api/templates', { ...template, body: ['x'.repeat(70_000)] })).status).toBe(413)
    expect((await admin.get<Template[]>('/api/templates')).body.length).toBe(count)
    expect((await admin.get('/api/templates/not-a-uuid')).status).toBe(404)
  })
})

describe('a new document from the model MOU', () => {
  it('starts with the library’s clauses, attributed to its creator', async () => {
    const created = await admin.post('/api/documents', { title: 'MOU', startFrom: 'model' })
    expect(created.status).toBe(201)
    const reader = new CollabClient(server, created.body.id, admin.cookie)
    cleanup.push(() => reader.destroy())
    await reader.synced()
    const names = reader.text.toArray().map((node) => (node as Y.XmlElement).nodeName)
    expect(names[0]).toBe('heading')
    expect(names.filter((name) => name === 'clause').length).toBeGreaterThanOrEqual(20)
    expect(names.at(-1)).toBe('signatureBlock')
    const authors = await server.storage.sql.prepare('SELECT DISTINCT user_id FROM document_updates WHERE document_id = ?').all(created.body.id)
    expect(authors).toEqual([{ user_id: 1 }])
  })

  it('starts blank unless asked', async () => {
    const blank = await createDocument(admin)
    const reader = await connectSynced(server, blank.id, admin)
    cleanup.push(() => reader.destroy())
    expect(reader.text.length).toBe(0)
  })
})

describe('variables', () => {
  it('sync to everyone and refuse values that are not short text', async () => {
    const documentId = (await createDocument(admin)).id
    const drafter = await createPerson(admin, 'drafter', 'police-liaison')
    await addMember(admin, documentId, 'drafter', 'drafter')
    const a = await connectSynced(server, documentId, admin)
    const b = await connectSynced(server, documentId, drafter)
    cleanup.push(() => a.destroy(), () => b.destroy())
    a.doc.getMap('variables').set('district', 'Denver Public Schools')
    await waitFor(() => b.doc.getMap('variables').get('district') === 'Denver Public Schools', 'the value to arrive')
    await waitFor(() => a.saved, 'the value to be stored')

    const raw = await RawCollabSocket.open(server, documentId, admin.cookie!)
    cleanup.push(() => raw.close())
    const bad = (set: (map: Y.Map<unknown>) => void) => {
      const doc = new Y.Doc()
      set(doc.getMap('variables'))
      return Y.encodeStateAsUpdate(doc)
    }
    expect((await raw.refusalOf(bad((map) => map.set('district', 'x'.repeat(400))))).code).toBe('not_allowed_content')
    expect((await raw.refusalOf(bad((map) => map.set('bad key!', 'x')))).code).toBe('not_allowed_content')
    expect((await raw.refusalOf(bad((map) => map.set('district', { html: '<b>' })))).code).toBe('not_allowed_content')
    // An overwrite names the old value as its neighbour, not the key: the key and value are still checked.
    const overwrite = new Y.Doc()
    Y.applyUpdate(overwrite, Y.encodeStateAsUpdate(a.doc))
    const before = Y.encodeStateVector(overwrite)
    overwrite.getMap('variables').set('district', 'x'.repeat(400))
    expect((await raw.refusalOf(Y.encodeStateAsUpdate(overwrite, before))).code).toBe('not_allowed_content')
    expect(b.doc.getMap('variables').get('district')).toBe('Denver Public Schools')
  })
})
