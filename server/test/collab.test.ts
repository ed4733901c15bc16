import { CloseCode, MessageType } from '@accord/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as syncProtocol from 'y-protocols/sync'
import { addMember, ApiClient, createDocument, createPerson, setUpAdmin } from './support/api.js'
import { CollabClient, connectSynced, openRawSocket, waitFor } from './support/collab.js'
import { startTestServer, type TestServer } from './support/server.js'

let server: TestServer
let owner: ApiClient
let documentId: string
const clients: CollabClient[] = []

const track = (client: CollabClient) => {
  clients.push(client)
  return client
}

beforeEach(async () => {
  server = await startTestServer()
  owner = await setUpAdmin(server, 'owner')
  documentId = (await createDocument(owner)).id
})

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy()
  await server.close()
})

/** The owner and a drafter on the document, each showing the other's name, with no caret change still on its way. */
async function twoPeopleWithCaretsSettled(): Promise<{ a: CollabClient; b: CollabClient }> {
  const drafter = await createPerson(owner, 'drafter', 'police-liaison')
  await addMember(owner, documentId, 'drafter', 'drafter')
  const a = track(await connectSynced(server, documentId, owner))
  const b = track(await connectSynced(server, documentId, drafter))
  a.provider.awareness.setLocalStateField('cursor', null)
  await waitFor(() => b.provider.awareness.getStates().has(a.doc.clientID), 'the author’s name at the other client')
  await new Promise((resolve) => setTimeout(resolve, 250)) // whatever carets were waiting have gone
  return { a, b }
}

/** A keystroke (a new paragraph) and its caret leave `client`'s socket in one write, as a browser's usually do. */
function typeWithCaret(client: CollabClient, text: string, caret: number): void {
  const socket = (client.provider.ws as unknown as { _socket: { cork(): void; uncork(): void } })._socket
  socket.cork()
  client.appendParagraph(text)
  client.provider.awareness.setLocalStateField('cursor', { anchor: caret, head: caret })
  socket.uncork()
}

type Arrival = { kind: 'update' | 'caret'; turn: number }

/** The edits and carets `client` receives from now on, each with the turn of its event loop that read it. */
function recordArrivals(client: CollabClient): Arrival[] {
  const arrivals: Arrival[] = []
  let turn = 0
  let turnEnding = false
  client.provider.ws!.addEventListener('message', (event: MessageEvent) => {
    const bytes = new Uint8Array(event.data as ArrayBuffer)
    // Each batch of frames the socket reads is handled in one turn; count the turns.
    if (!turnEnding) {
      turnEnding = true
      setImmediate(() => {
        turn++
        turnEnding = false
      })
    }
    if (bytes[0] === MessageType.Sync && bytes[1] === syncProtocol.messageYjsUpdate) arrivals.push({ kind: 'update', turn })
    if (bytes[0] === MessageType.Awareness) arrivals.push({ kind: 'caret', turn })
  })
  return arrivals
}

async function storedUpdateCount(): Promise<number> {
  return ((await server.storage.sql.prepare('SELECT count(*) AS n FROM document_updates').get()) as { n: number }).n
}

describe('two people editing one document', () => {
  it('converge on the same text', async () => {
    const drafter = await createPerson(owner, 'drafter', 'police-liaison')
    await addMember(owner, documentId, 'drafter', 'drafter')
    const a = track(await connectSynced(server, documentId, owner))
    const b = track(await connectSynced(server, documentId, drafter))

    a.appendParagraph('The District and the Department agree:')
    b.appendParagraph('Officers do not enforce school discipline.')

    await waitFor(() => a.text.length === 2 && b.text.length === 2, 'both paragraphs on both clients')
    expect(a.plainText()).toBe(b.plainText())
    expect(a.plainText()).toContain('Officers do not enforce school discipline.')
  })

  it('sends a write to everyone but its author, who has it already', async () => {
    const drafter = await createPerson(owner, 'drafter', 'police-liaison')
    await addMember(owner, documentId, 'drafter', 'drafter')
    const a = track(await connectSynced(server, documentId, owner))
    const b = track(await connectSynced(server, documentId, drafter))
    const updatesTo = (client: CollabClient) => {
      const seen = { count: 0 }
      client.provider.ws!.addEventListener('message', (event: MessageEvent) => {
        const bytes = new Uint8Array(event.data as ArrayBuffer)
        if (bytes[0] === MessageType.Sync && bytes[1] === syncProtocol.messageYjsUpdate) seen.count++
      })
      return seen
    }
    const toAuthor = updatesTo(a)
    const toOther = updatesTo(b)

    a.appendParagraph('The District and the Department agree:')
    await waitFor(() => b.text.length === 1 && a.saved, 'the paragraph at the other client, and Saved at its author')
    expect(toOther.count).toBe(1)
    expect(toAuthor.count).toBe(0)
  })

  it('sends a keystroke’s caret in the same write as the keystroke, not on its own a moment later', async () => {
    const { a, b } = await twoPeopleWithCaretsSettled()
    const arrivals = recordArrivals(b)
    typeWithCaret(a, 'P', 1)

    await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID)?.cursor != null, 'the caret at the other client')
    expect(arrivals.map((arrival) => arrival.kind)).toEqual(['update', 'caret'])
    expect(arrivals[1]!.turn).toBe(arrivals[0]!.turn)
  })

  it('sends carets along with a stream of edits at most every 50 ms, and the last caret still arrives', async () => {
    const { a, b } = await twoPeopleWithCaretsSettled()
    const arrivals = recordArrivals(b)
    const count = (kind: Arrival['kind']) => arrivals.filter((arrival) => arrival.kind === kind).length

    // Twenty keystrokes, each with its caret, each read by the server in a turn of its own.
    for (let key = 1; key <= 20; key++) {
      typeWithCaret(a, `Key ${key}`, key)
      await new Promise((resolve) => setImmediate(resolve))
    }

    const caretAt = () => (b.provider.awareness.getStates().get(a.doc.clientID)?.cursor as { anchor?: number } | null)?.anchor
    await waitFor(() => count('update') === 20 && caretAt() === 20, 'every keystroke and the last caret at the other client')
    // The first keystroke's caret rode along with it; most of the others waited.
    expect(arrivals[0]).toMatchObject({ kind: 'update' })
    expect(arrivals[1]).toEqual({ kind: 'caret', turn: arrivals[0]!.turn })
    expect(count('caret')).toBeLessThan(10)
  })

  it('acknowledges a write once it is stored, and the text survives a restart', async () => {
    const a = track(await connectSynced(server, documentId, owner))
    a.appendParagraph('Purpose of this memorandum')
    expect(a.saved).toBe(false)
    await waitFor(() => a.saved, 'the saved acknowledgement')
    a.destroy()
    await server.close()

    server = await startTestServer(server.dataDir)
    const owner2 = new ApiClient(server)
    owner2.cookie = owner.cookie
    const b = track(await connectSynced(server, documentId, owner2))
    expect(b.plainText()).toBe('Purpose of this memorandum')
  })
})

describe('a document at rest', () => {
  const snapshotOf = async (id: string) =>
    (await server.storage.sql
      .prepare('SELECT through_update_id AS through, length(state_vector) AS vector FROM document_snapshots WHERE document_id = ?')
      .get(id)) as { through: number; vector: number } | undefined
  const newestUpdate = async (id: string) =>
    ((await server.storage.sql.prepare('SELECT max(id) AS id FROM document_updates WHERE document_id = ?').get(id)) as { id: number }).id

  it('is stored as one snapshot when its last reader leaves, served from it, and written on again', async () => {
    const drafter = track(await connectSynced(server, documentId, owner))
    for (let i = 1; i <= 3; i++) drafter.appendParagraph(`Section ${i}`)
    await waitFor(() => drafter.saved, 'the writes to be stored')
    drafter.destroy()
    await waitFor(async () => (await snapshotOf(documentId))?.through === (await newestUpdate(documentId)), 'a snapshot through the newest update')
    expect((await snapshotOf(documentId))!.vector).toBeGreaterThan(1)

    const reader = track(await connectSynced(server, documentId, owner))
    expect(reader.plainText()).toBe('Section 1\nSection 2\nSection 3')
    const writer = track(await connectSynced(server, documentId, owner))
    writer.appendParagraph('Section 4')
    await waitFor(() => writer.saved && reader.text.length === 4, 'the new section stored and on the other screen')
    expect(reader.plainText()).toBe(writer.plainText())

    // A returning reader gets only what it lacks, computed from the snapshot's bytes.
    reader.provider.disconnect()
    writer.appendParagraph('Section 5')
    await waitFor(() => writer.saved, 'the fifth section stored')
    writer.destroy()
    await waitFor(async () => (await snapshotOf(documentId))?.through === (await newestUpdate(documentId)), 'a snapshot with the fifth section')
    reader.provider.connect()
    await waitFor(() => reader.text.length === 5, 'the fifth section on the returning screen')
    expect(reader.plainText()).toBe('Section 1\nSection 2\nSection 3\nSection 4\nSection 5')
  })

  it('serves a long agreement whole, from its snapshot, to several people joining at once', async () => {
    // Past 64 KB the reply leaves as its head and the snapshot's own bytes in one writev (collab/writeBatching.ts).
    const paragraphs = Array.from({ length: 40 }, (_, index) => `Clause ${index + 1}. ${'The district and the department agree. '.repeat(64)}`)
    const drafter = track(await connectSynced(server, documentId, owner))
    for (const paragraph of paragraphs) drafter.appendParagraph(paragraph)
    await waitFor(() => drafter.saved, 'the writes to be stored')
    drafter.destroy()
    await waitFor(async () => (await snapshotOf(documentId))?.through === (await newestUpdate(documentId)), 'a snapshot through the newest update')

    const readers = await Promise.all([1, 2, 3].map(async () => track(await connectSynced(server, documentId, owner))))
    for (const reader of readers) expect(reader.plainText()).toBe(paragraphs.join('\n'))
    expect(paragraphs.join('\n').length).toBeGreaterThan(64 * 1024)
  })
})

describe('read-only members', () => {
  it('never have their writes applied, broadcast or stored', async () => {
    const reviewer = await createPerson(owner, 'counsel', 'counsel')
    await addMember(owner, documentId, 'counsel', 'reviewer')
    const writer = track(await connectSynced(server, documentId, owner))
    writer.appendParagraph('Original text')
    await waitFor(() => writer.saved, 'the first write to be stored')
    const storedBefore = (await storedUpdateCount())

    const reader = track(await connectSynced(server, documentId, reviewer))
    expect(reader.sessions.at(-1)).toEqual({ role: 'reviewer', canEdit: false })
    expect(reader.plainText()).toBe('Original text')
    reader.appendParagraph('Reviewer tries to write')

    // The writer's own next edit is a marker: once it round-trips, the reviewer's would have too.
    writer.appendParagraph('Marker')
    await waitFor(() => reader.text.length === 3 && writer.saved, 'the marker to arrive')
    expect(writer.plainText()).toBe('Original text\nMarker')
    expect((await storedUpdateCount())).toBe(storedBefore + 1)
  })

  it('are not refused for echoing what the server has, deletions included, when they reconnect', async () => {
    const reviewer = await createPerson(owner, 'counsel', 'counsel')
    await addMember(owner, documentId, 'counsel', 'reviewer')
    const writer = track(await connectSynced(server, documentId, owner))
    writer.appendParagraph('Kept')
    writer.appendParagraph('Struck out')
    await waitFor(() => writer.saved, 'the paragraphs to be stored')
    writer.text.delete(1, 1)
    await waitFor(() => writer.saved, 'the deletion to be stored')

    const reader = track(await connectSynced(server, documentId, reviewer))
    expect(reader.plainText()).toBe('Kept')
    // Sync step 2 carries the reader's whole delete set: nothing new, so nothing to refuse.
    reader.provider.disconnect()
    reader.provider.connect()
    await waitFor(() => reader.provider.synced, 'the reader to sync again')
    writer.appendParagraph('Marker')
    await waitFor(() => reader.text.length === 2, 'the marker to arrive')
    expect(reader.refusals).toEqual([])

    // A deletion the server does not have is still refused.
    reader.text.delete(0, 1)
    await waitFor(() => reader.refusals.length > 0, 'the refusal')
    expect(reader.refusals[0]!.code).toBe('read_only')
    expect(writer.plainText()).toBe('Kept\nMarker')
  })
})

describe('admission to a document socket', () => {
  it('refuses a socket without a session', async () => {
    const result = await openRawSocket(server, `/collab/${documentId}`, { origin: server.origin })
    expect(result.close?.code).toBe(CloseCode.Unauthorized)
  })

  it('refuses a socket from a foreign origin at the upgrade', async () => {
    const result = await openRawSocket(server, `/collab/${documentId}`, {
      origin: 'https://evil.example',
      cookie: owner.cookie!,
    })
    expect(result.status).toBe(403)
  })

  it('refuses a non-member exactly as it refuses a document that does not exist', async () => {
    const stranger = await createPerson(owner, 'stranger')
    const notMember = await openRawSocket(server, `/collab/${documentId}`, { cookie: stranger.cookie! })
    const missing = await openRawSocket(server, `/collab/${crypto.randomUUID()}`, { cookie: owner.cookie! })
    expect(notMember.close).toEqual({ code: CloseCode.NotFound, reason: 'Document not found' })
    expect(missing.close).toEqual(notMember.close)
  })

  it('refuses a malformed document id and creates nothing', async () => {
    const result = await openRawSocket(server, '/collab/..%2F..%2Fetc', { cookie: owner.cookie! })
    expect(result.close?.code).toBe(CloseCode.BadRequest)
    const list = await owner.get('/api/documents')
    expect(list.body).toHaveLength(1)
  })

  it('refuses paths outside /collab/<id>', async () => {
    const result = await openRawSocket(server, '/somewhere/else', { cookie: owner.cookie! })
    expect(result.status).toBe(404)
  })
})

describe('awareness', () => {
  it('overwrites the name and colour a client claims with its session identity', async () => {
    const liaison = await createPerson(owner, 'liaison', 'police-liaison', 'Officer Lee')
    await addMember(owner, documentId, 'liaison', 'drafter')
    const watcher = track(await connectSynced(server, documentId, owner))
    const spoofer = track(await connectSynced(server, documentId, liaison))
    spoofer.provider.awareness.setLocalStateField('user', { name: 'Site Admin', color: '#ff0000', affiliation: 'counsel' })

    await waitFor(() => watcher.provider.awareness.getStates().has(spoofer.doc.clientID), 'the spoofer’s cursor')
    expect(watcher.provider.awareness.getStates().get(spoofer.doc.clientID)?.user).toEqual({
      username: 'liaison',
      name: 'Officer Lee',
      affiliation: 'police-liaison',
      color: '#334155',
    })
  })
})

describe('a change of role', () => {
  it('closes the member’s socket and admits them again under the new role', async () => {
    const member = await createPerson(owner, 'member', 'board-member')
    await addMember(owner, documentId, 'member', 'drafter')
    const client = track(await connectSynced(server, documentId, member))
    expect(client.sessions).toEqual([{ role: 'drafter', canEdit: true }])

    const changedAt = Date.now()
    await addMember(owner, documentId, 'member', 'reviewer')
    await waitFor(() => client.sessions.length === 2 && client.provider.synced, 'the member to come back')
    expect(Date.now() - changedAt).toBeLessThan(1000)
    expect(client.closes).toEqual([{ code: CloseCode.AccessChanged, reason: 'Your access to this document changed' }])
    expect(client.sessions[1]).toEqual({ role: 'reviewer', canEdit: false })
  })

  it('closes a removed member’s socket for good', async () => {
    const member = await createPerson(owner, 'member', 'board-member')
    await addMember(owner, documentId, 'member', 'drafter')
    const client = track(await connectSynced(server, documentId, member))
    await member.get('/api/session')
    await owner.delete(`/api/documents/${documentId}/members/member`)
    await waitFor(() => client.closes.some((close) => close.code === CloseCode.NotFound), 'the final refusal')
    expect(client.closes[0]?.code).toBe(CloseCode.AccessChanged)
    expect(client.provider.shouldConnect).toBe(false)
  })
})
