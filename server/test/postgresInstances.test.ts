/**
 * Two server instances on one PostgreSQL database: they start together (migrations and the
 * clause library once), share accounts and sessions, and each finds what the other stored.
 * Live edits between instances need the Redis relay and are tested with it.
 */
import { CloseCode } from '@accord/shared'
import { afterEach, describe, expect, it } from 'vitest'
import { STARTER_TEMPLATES } from '../src/templates/starterLibrary.js'
import { ApiClient, createDocument, createPerson, setUpAdmin } from './support/api.js'
import { CollabClient, connectSynced, waitFor } from './support/collab.js'
import { dropSchemas, freshSchema, TEST_DATABASE_URL } from './support/postgres.js'
import { startTestServer, tempDataDir, type TestServer } from './support/server.js'

if (!TEST_DATABASE_URL) describe.skip('Two instances on PostgreSQL: NOT RUN, TEST_DATABASE_URL is not set', () => it('share one database', () => {}))

describe.runIf(TEST_DATABASE_URL !== null)('two instances on one PostgreSQL database', () => {
  const schema = freshSchema()
  const servers: TestServer[] = []
  const clients: CollabClient[] = []

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy()
    for (const server of servers.splice(0)) await server.close()
    await dropSchemas(TEST_DATABASE_URL!, [schema])
  })

  it('start at the same moment, share accounts and sessions, and each reads what the other stored', async () => {
    const env = { DATABASE_URL: TEST_DATABASE_URL!, DATABASE_SCHEMA: schema }
    const [a, b] = await Promise.all([startTestServer(tempDataDir(), env), startTestServer(tempDataDir(), env)])
    servers.push(a!, b!)
    expect(await a!.storage.templates.count()).toBe(STARTER_TEMPLATES.length)

    const admin = await setUpAdmin(a!, 'owner')
    await createPerson(admin, 'drafter')
    const onB = new ApiClient(b!)
    onB.cookie = admin.cookie
    expect((await onB.get<{ username: string }[]>('/api/users')).body.map((user) => user.username)).toEqual(['drafter', 'owner'])

    const documentId = (await createDocument(admin)).id
    const writer = await connectSynced(a!, documentId, admin)
    clients.push(writer)
    writer.appendParagraph('Stored by instance A')
    await waitFor(() => writer.saved, 'the write to be stored')
    writer.destroy()
    // A writes its snapshot when the document empties; B loads from it.
    await waitFor(async () => (await b!.storage.sql.prepare('SELECT 1 FROM document_snapshots WHERE document_id = ?').get(documentId)) !== undefined, 'the snapshot')

    const reader = await connectSynced(b!, documentId, onB)
    clients.push(reader)
    expect(reader.plainText()).toBe('Stored by instance A')

    // A damaged snapshot (its checksum no longer matches) is refused, never served or replaced.
    await a!.storage.sql.prepare('UPDATE document_snapshots SET state_sha256 = ? WHERE document_id = ?').run(Buffer.alloc(32), documentId)
    const refused = new CollabClient(a!, documentId, admin.cookie)
    clients.push(refused)
    await waitFor(() => refused.closes.length > 0, 'the refusal')
    expect(refused.closes[0]?.code).toBe(CloseCode.Unavailable)
  })
})
