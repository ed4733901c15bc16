import { CloseCode, MAX_UPDATE_BYTES, MessageType } from '@accord/shared'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import * as encoding from 'lib0/encoding'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { documentSchema } from '@accord/shared/schema'
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { AttributionStore } from '../src/persistence/attribution.js'
import { openDatabase, type Db } from '../src/persistence/database.js'
import { addMember, ApiClient, createDocument, createPerson, setUpAdmin } from './support/api.js'
import { CollabClient, connectSynced, waitFor } from './support/collab.js'
import { ControlledClient } from './support/controlledClient.js'
import { spawnServer, startAccordProcess } from './support/process.js'
import { RawCollabSocket } from './support/rawSocket.js'
import { startTestServer, tempDir, type TestServer } from './support/server.js'

let server: TestServer
let owner: ApiClient
let documentId: string
const cleanup: Array<() => void> = []

beforeEach(async () => {
  server = await startTestServer()
  owner = await setUpAdmin(server, 'owner')
  documentId = (await createDocument(owner)).id
})

afterEach(async () => {
  for (const done of cleanup.splice(0)) done()
  await server.close()
})

const track = <T extends { destroy(): void } | { close(): void }>(thing: T): T => {
  cleanup.push(() => ('destroy' in thing ? thing.destroy() : thing.close()))
  return thing
}

/** An update made by a throwaway Yjs client: what a hostile or buggy client could send. */
function updateFrom(build: (doc: Y.Doc) => void, base?: Y.Doc): Uint8Array {
  const doc = new Y.Doc()
  if (base) Y.applyUpdate(doc, Y.encodeStateAsUpdate(base))
  const before = Y.encodeStateVector(doc)
  build(doc)
  return Y.encodeStateAsUpdate(doc, before)
}

function paragraph(text: string, attributes?: Record<string, unknown>): Y.XmlElement {
  const element = new Y.XmlElement('paragraph')
  const content = new Y.XmlText()
  element.insert(0, [content])
  content.insert(0, text, attributes)
  return element
}

function storedUpdateCount(): number {
  return (server.db.prepare('SELECT count(*) AS n FROM document_updates').get() as { n: number }).n
}

describe('validation of every update', () => {
  it('refuses each kind of bad write with a message, keeps the socket open, and stores none of them', async () => {
    const writer = track(await connectSynced(server, documentId, owner))
    writer.appendParagraph('The agreed text')
    await waitFor(() => writer.saved, 'the first write to be stored')
    const storedBefore = storedUpdateCount()
    const raw = track(await RawCollabSocket.open(server, documentId, owner.cookie!))

    const valid = updateFrom((doc) => doc.getXmlFragment('default').push([paragraph('x')]), writer.doc)
    const cases: Array<[string, Uint8Array, string]> = [
      ['a truncated update', valid.slice(0, valid.length - 4), 'invalid_update'],
      ['random bytes', new Uint8Array([7, 250, 13, 99, 1, 2, 3]), 'invalid_update'],
      ['an unknown node', updateFrom((doc) => doc.getXmlFragment('default').push([new Y.XmlElement('script')])), 'not_allowed_content'],
      [
        'a javascript: link',
        updateFrom((doc) => doc.getXmlFragment('default').push([paragraph('click', { link: { href: 'javascript:alert(1)' } })])),
        'not_allowed_content',
      ],
      ['an unknown mark', updateFrom((doc) => doc.getXmlFragment('default').push([paragraph('x', { blink: {} })])), 'not_allowed_content'],
      ['a second root type', updateFrom((doc) => doc.getMap('payload').set('x', 1)), 'not_allowed_content'],
      // Items after existing ones name only their left neighbour; where they land comes from it.
      [
        'a value among the blocks, next to an existing one',
        updateFrom((doc) => doc.getArray('default').push(['loose value']), writer.doc),
        'not_allowed_content',
      ],
      [
        'characters among the blocks, next to an existing one',
        updateFrom((doc) => {
          const blocks = doc.getText('default')
          blocks.insert(blocks.length, 'loose text')
        }, writer.doc),
        'not_allowed_content',
      ],
      [
        'a block inside text',
        updateFrom((doc) => {
          const text = (doc.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText
          text.insertEmbed(text.length, { type: 'image' })
        }, writer.doc),
        'not_allowed_content',
      ],
      [
        'an oversized update',
        updateFrom((doc) => doc.getXmlFragment('default').push([paragraph('a'.repeat(MAX_UPDATE_BYTES + 10))])),
        'too_large',
      ],
    ]
    for (const [what, update, code] of cases) {
      const refusal = await raw.refusalOf(update)
      expect(refusal.code, what).toBe(code)
      expect(refusal.message.length, what).toBeGreaterThan(10)
    }
    expect(raw.closed).toBeNull()

    writer.appendParagraph('Still working')
    await waitFor(() => writer.saved, 'the next write to be stored')
    expect(storedUpdateCount()).toBe(storedBefore + 1)
    expect(writer.plainText()).toBe('The agreed text\nStill working')
  })

  it('accepts what the editor produces: headings, marks, lists and safe links', async () => {
    const raw = track(await RawCollabSocket.open(server, documentId, owner.cookie!))
    const text = (value: string, ...marks: object[]) => ({ type: 'text', text: value, marks })
    const content = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [text('Purpose')] },
        {
          type: 'paragraph',
          content: [
            text('Bold', { type: 'bold' }),
            text(' italic', { type: 'italic' }),
            text(' underlined', { type: 'underline' }),
            text(' struck', { type: 'strike' }),
            { type: 'hardBreak' },
            text('policy', { type: 'link', attrs: { href: 'https://dpsk12.org' } }),
            text(' or ', {}),
            text('the clerk', { type: 'link', attrs: { href: 'mailto:clerk@dpsk12.org' } }),
          ].map((node) => ('marks' in node && (node.marks as object[]).length === 1 && Object.keys((node.marks as object[])[0]!).length === 0 ? { type: 'text', text: (node as { text: string }).text } : node)),
        },
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [text('Training')] }] }] },
        { type: 'orderedList', attrs: { start: 3 }, content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [text('Data')] }] }] },
        { type: 'blockquote', content: [{ type: 'paragraph', content: [text('Quoted')] }] },
      ],
    }
    // The editor's own binding turns ProseMirror content into Yjs, exactly as in the browser.
    const update = updateFrom((doc) => prosemirrorJSONToYXmlFragment(documentSchema, content, doc.getXmlFragment('default')))
    raw.sendUpdate(update)
    await waitFor(() => raw.refusals().length > 0 || raw.messagesOfType(MessageType.Saved).length >= 2, 'the save acknowledgement')
    expect(raw.refusals()).toEqual([])
  })

  it('closes a socket that sends frames outside the protocol, and only that socket', async () => {
    const writer = track(await connectSynced(server, documentId, owner))
    const raw = track(await RawCollabSocket.open(server, documentId, owner.cookie!))
    raw.socket.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]))
    await waitFor(() => raw.closed !== null, 'the close')
    expect(raw.closed?.code).toBe(CloseCode.BadRequest)

    const text = track(await RawCollabSocket.open(server, documentId, owner.cookie!))
    text.socket.send('hello')
    await waitFor(() => text.closed !== null, 'the close')
    expect(text.closed?.code).toBe(CloseCode.BadRequest)

    writer.appendParagraph('Unaffected')
    await waitFor(() => writer.saved, 'the write to be stored')
  })

  it('asks for a resync instead of storing an update whose dependencies are missing', async () => {
    const raw = track(await RawCollabSocket.open(server, documentId, owner.cookie!))
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    doc.getXmlFragment('default').push([paragraph('first')])
    doc.getXmlFragment('default').push([paragraph('second')])
    const step1Before = raw.messagesOfType(MessageType.Sync).length
    expect((await raw.refusalOf(updates[1]!)).code).toBe('missing_dependencies')
    await waitFor(() => raw.messagesOfType(MessageType.Sync).length > step1Before, 'a sync step 1 from the server')
    expect(storedUpdateCount()).toBe(0)
  })
})

describe('client ids', () => {
  it('belong to the first person who writes with them', async () => {
    const drafter = await createPerson(owner, 'drafter', 'police-liaison')
    await addMember(owner, documentId, 'drafter', 'drafter')
    const ownerClient = track(await connectSynced(server, documentId, owner))
    ownerClient.appendParagraph('Written by the owner')
    await waitFor(() => ownerClient.saved, 'the owner’s write to be stored')

    const raw = track(await RawCollabSocket.open(server, documentId, drafter.cookie!))
    const forged = new Y.Doc()
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(ownerClient.doc))
    forged.clientID = ownerClient.doc.clientID
    const before = Y.encodeStateVector(forged)
    forged.getXmlFragment('default').push([paragraph('Words put in the owner’s mouth')])
    const storedBefore = storedUpdateCount()
    raw.sendUpdate(Y.encodeStateAsUpdate(forged, before))
    // Dropped, not refused: a refusal would make a real browser reset (see the next test).
    await waitFor(() => raw.messagesOfType(MessageType.Saved).length > 1, 'the server to handle the write')
    expect(raw.refusals()).toEqual([])
    expect(ownerClient.plainText()).toBe('Written by the owner')
    expect(storedUpdateCount()).toBe(storedBefore)
  })

  it('after a crash, a catch-up carrying another person’s lost text keeps the sender’s own and stores theirs only from them', async () => {
    const drafter = await createPerson(owner, 'drafter', 'police-liaison')
    await addMember(owner, documentId, 'drafter', 'drafter')
    const ownerWriter = track(new ControlledClient(server, documentId, owner.cookie!))
    await ownerWriter.connect()
    ownerWriter.doc.getXmlFragment('default').push([paragraph('Stored owner text')])
    await waitFor(() => ownerWriter.saved, 'the owner’s write to be stored')
    const ownerId = ownerWriter.doc.clientID
    const ownerClient = track(await connectSynced(server, documentId, owner))

    // The owner's next paragraph reached the drafter's screen, then the server crashed before storing it.
    const ownerLater = new Y.Doc()
    Y.applyUpdate(ownerLater, Y.encodeStateAsUpdate(ownerWriter.doc))
    ownerLater.clientID = ownerId
    const beforeLost = Y.encodeStateVector(ownerLater)
    ownerLater.getXmlFragment('default').push([paragraph('Lost owner text')])
    const lost = Y.encodeStateAsUpdate(ownerLater, beforeLost)

    const drafterClient = track(new ControlledClient(server, documentId, drafter.cookie!))
    Y.applyUpdate(drafterClient.doc, Y.encodeStateAsUpdate(ownerLater))
    drafterClient.doc.getXmlFragment('default').insert(0, [paragraph('Drafter text of its own')])
    drafterClient.doc.getXmlFragment('default').push([paragraph('Drafter text after the lost text')])
    await drafterClient.connect()
    await waitFor(() => ownerClient.plainText().startsWith('Drafter text of its own'), 'the drafter’s independent text')
    expect(ownerClient.plainText()).toBe('Drafter text of its own\nStored owner text')
    expect(drafterClient.refusals.map((refusal) => refusal.code)).not.toContain('foreign_client_id')

    // The owner's screen resends its own text; the drafter's waiting text follows.
    const ownerRaw = track(await RawCollabSocket.open(server, documentId, owner.cookie!))
    ownerRaw.sendUpdate(lost)
    await waitFor(() => drafterClient.saved, 'the drafter’s text to be stored')
    expect(ownerClient.plainText()).toBe('Drafter text of its own\nStored owner text\nLost owner text\nDrafter text after the lost text')
    const authors = server.db
      .prepare('SELECT DISTINCT u.username FROM document_changes c JOIN users u ON u.id = c.user_id WHERE c.client_id = ?')
      .all(ownerId) as { username: string }[]
    expect(authors.map((row) => row.username)).toEqual(['owner'])
  })

  it('may appear in a catch-up that repeats text the server already has', async () => {
    const drafter = await createPerson(owner, 'drafter', 'police-liaison')
    await addMember(owner, documentId, 'drafter', 'drafter')
    const ownerClient = track(await connectSynced(server, documentId, owner))
    ownerClient.appendParagraph('Written by the owner')
    await waitFor(() => ownerClient.saved, 'the owner’s write to be stored')

    // The drafter's catch-up answers an older state vector: it carries the owner's paragraph too.
    const raw = track(await RawCollabSocket.open(server, documentId, drafter.cookie!))
    const drafterDoc = new Y.Doc()
    Y.applyUpdate(drafterDoc, Y.encodeStateAsUpdate(ownerClient.doc))
    drafterDoc.getXmlFragment('default').push([paragraph('Written by the drafter')])
    raw.sendUpdate(Y.encodeStateAsUpdate(drafterDoc))
    await waitFor(() => ownerClient.plainText().endsWith('Written by the drafter'), 'the drafter’s paragraph')
    expect(raw.refusals()).toEqual([])
  })
})

describe('storage failures', () => {
  it('turn "Saved" into "Not saved" without damage, and recover when space returns', async () => {
    const writer = track(await connectSynced(server, documentId, owner))
    writer.appendParagraph('Before the disk fills')
    await waitFor(() => writer.saved, 'the first write to be stored')

    // The storage writer's commits fail (as on a full disk) until the trigger is dropped.
    server.db.exec(`CREATE TRIGGER disk_full BEFORE INSERT ON document_updates BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`)
    writer.appendParagraph('x'.repeat(200_000))
    await waitFor(() => writer.saveFailures.length > 0, 'the save-failed message')
    expect(writer.saved).toBe(false)

    server.db.exec('DROP TRIGGER disk_full')
    await waitFor(() => writer.saved, 'the retried write to be stored', 5000)
    expect(server.db.pragma('integrity_check', { simple: true })).toBe('ok')

    writer.destroy()
    await server.close()
    server = await startTestServer(server.dataDir)
    const reader = track(new CollabClient(server, documentId, owner.cookie))
    await reader.synced()
    expect(reader.plainText()).toBe(`Before the disk fills\n${'x'.repeat(200_000)}`)
  })

  it('a screen that reconnects while its last write is still being stored is told when it is', async () => {
    const writer = track(await connectSynced(server, documentId, owner))
    server.db.exec(`CREATE TRIGGER disk_full BEFORE INSERT ON document_updates BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`)
    writer.appendParagraph('Typed before the connection dropped')
    await waitFor(() => writer.saveFailures.length > 0, 'the save-failed message')
    // The connection drops and comes back; the write is already on the server, so the
    // catch-up carries nothing new and earns no acknowledgement of its own.
    writer.provider.disconnect()
    writer.provider.connect()
    await writer.synced()
    server.db.exec('DROP TRIGGER disk_full')
    await waitFor(() => writer.saved, 'the acknowledgement of the earlier write')
  })

  // A real full disk: the data directory on a small tmpfs, filled by another file. Mounting
  // needs root; elsewhere the trigger-based test above stands in for it.
  it.runIf(canMount())('a real full disk stops "Saved", damages nothing, and saving resumes when space returns', async () => {
    const mountPoint = tempDir('accord-full-disk-')
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint])
    try {
      await server.close()
      server = await startTestServer(path.join(mountPoint, 'data'))
      owner = await setUpAdmin(server, 'owner')
      documentId = (await createDocument(owner)).id
      const writer = track(await connectSynced(server, documentId, owner))
      writer.appendParagraph('Before the disk fills')
      await waitFor(() => writer.saved, 'the first write to be stored')

      const filler = path.join(mountPoint, 'filler')
      const { bavail, bsize } = fs.statfsSync(mountPoint)
      fs.writeFileSync(filler, Buffer.alloc(bavail * bsize))
      expect(fs.statfsSync(mountPoint).bavail).toBe(0)
      const big = 'x'.repeat(1_500_000)
      writer.appendParagraph(big)
      await waitFor(() => writer.saveFailures.length > 0, 'the save-failed message')
      expect(writer.saved).toBe(false)
      expect(server.db.pragma('integrity_check', { simple: true })).toBe('ok')

      fs.rmSync(filler)
      await waitFor(() => writer.saved, 'the retried write to be stored')
      writer.appendParagraph('After the disk had room again')
      await waitFor(() => writer.saved, 'a later write to be stored')
      expect(server.db.pragma('integrity_check', { simple: true })).toBe('ok')

      writer.destroy()
      await server.close()
      server = await startTestServer(server.dataDir)
      const reader = track(new CollabClient(server, documentId, owner.cookie))
      await reader.synced()
      expect(reader.plainText()).toBe(`Before the disk fills\n${big}\nAfter the disk had room again`)
      reader.destroy()
    } finally {
      await server.close()
      execFileSync('umount', [mountPoint])
      server = await startTestServer()
    }
  })

  const garbage = Buffer.from([0xff, 0xff, 0xff, 0xff])
  const corruptions: Array<{ what: string; snapshot: boolean; corrupt: (db: Db, documentId: string) => void }> = [
    {
      what: 'an unreadable update',
      snapshot: false,
      corrupt: (db, id) => db.prepare('UPDATE document_updates SET data = ? WHERE document_id = ?').run(garbage, id),
    },
    {
      what: 'an unreadable update after the snapshot',
      snapshot: true,
      corrupt: (db, id) => {
        // Leaving at shutdown may fold the last update into the snapshot: the mark goes back one,
        // so the last update is after the snapshot whatever the timing, and is made unreadable.
        const last = db.prepare('SELECT max(id) AS id FROM document_updates WHERE document_id = ?').get(id) as { id: number }
        db.prepare('UPDATE document_snapshots SET through_update_id = ? WHERE document_id = ?').run(last.id - 1, id)
        db.prepare('UPDATE document_updates SET data = ? WHERE id = ?').run(garbage, last.id)
      },
    },
    {
      what: 'a snapshot cut short',
      snapshot: true,
      corrupt: (db, id) => {
        db.prepare('DELETE FROM document_changes WHERE update_id > (SELECT through_update_id FROM document_snapshots WHERE document_id = ?)').run(id)
        db.prepare('DELETE FROM document_updates WHERE document_id = ? AND id > (SELECT through_update_id FROM document_snapshots WHERE document_id = ?)').run(id, id)
        db.prepare('UPDATE document_snapshots SET state = substr(state, 1, length(state) / 2) WHERE document_id = ?').run(id)
      },
    },
    {
      what: 'a lost update that later ones build on',
      snapshot: false,
      corrupt: (db, id) => {
        const [first, ...later] = db.prepare('SELECT id FROM document_updates WHERE document_id = ? ORDER BY id').all(id) as { id: number }[]
        expect(later.length).toBeGreaterThan(0)
        db.prepare('DELETE FROM document_changes WHERE update_id = ?').run(first!.id)
        db.prepare('DELETE FROM document_updates WHERE id = ?').run(first!.id)
      },
    },
  ]

  it.each(corruptions)('a document with $what is reported (4500), never replaced by an empty one', async ({ snapshot, corrupt }) => {
    let writer = track(await connectSynced(server, documentId, owner))
    writer.appendParagraph('Precious text')
    writer.appendParagraph('More precious text')
    await waitFor(() => writer.saved, 'the write to be stored')
    if (snapshot) {
      writer.destroy()
      const snapshots = () => (server.db.prepare('SELECT count(*) AS n FROM document_snapshots').get() as { n: number }).n
      await waitFor(() => snapshots() === 1, 'the snapshot')
      writer = track(await connectSynced(server, documentId, owner))
      writer.appendParagraph('Written after the snapshot')
      await waitFor(() => writer.saved, 'the later write to be stored')
    }
    const other = (await createDocument(owner, 'Another MOU')).id
    writer.destroy()
    await server.close()

    const db = openDatabase(server.dataDir)
    corrupt(db, documentId)
    const storedRows = (db: Db) => [
      db.prepare('SELECT id, data FROM document_updates WHERE document_id = ? ORDER BY id').all(documentId),
      db.prepare('SELECT state, through_update_id FROM document_snapshots WHERE document_id = ?').all(documentId),
    ]
    const before = storedRows(db)
    db.close()

    server = await startTestServer(server.dataDir)
    for (const attempt of ['first', 'second']) {
      const refused = track(new CollabClient(server, documentId, owner.cookie))
      await waitFor(() => refused.closes.length > 0, `the ${attempt} refusal`)
      expect(refused.closes[0]?.code, attempt).toBe(CloseCode.Unavailable)
      refused.destroy()
    }
    // A writer who sends content at once (from an offline copy) is refused too, and changes nothing.
    const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/collab/${documentId}`, {
      headers: { cookie: owner.cookie!, origin: server.origin },
    })
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.Sync)
    encoding.writeVarUint(encoder, 2)
    encoding.writeVarUint8Array(encoder, updateFrom((doc) => doc.getXmlFragment('default').push([paragraph('Offline text')])))
    socket.on('open', () => socket.send(encoding.toUint8Array(encoder)))
    expect(await new Promise((resolve) => socket.on('close', resolve))).toBe(CloseCode.Unavailable)
    expect(storedRows(server.db)).toEqual(before)

    const fine = track(await connectSynced(server, other, owner))
    fine.appendParagraph('Other documents keep working')
    await waitFor(() => fine.saved, 'the other document to save')
  })
})

describe('attribution', () => {
  it('names who inserted and who deleted every character, across a snapshot and a restart', async () => {
    const liaison = await createPerson(owner, 'liaison', 'police-liaison')
    const member = await createPerson(owner, 'member', 'community-member')
    await addMember(owner, documentId, 'liaison', 'drafter')
    await addMember(owner, documentId, 'member', 'drafter')
    const people = { owner, liaison, member }
    const ids = Object.fromEntries(
      await Promise.all(
        Object.entries(people).map(async ([name, client]) => [name, (await client.get('/api/session')).body.user.username]),
      ),
    )
    expect(ids).toEqual({ owner: 'owner', liaison: 'liaison', member: 'member' })

    const a = track(await connectSynced(server, documentId, owner))
    const b = track(await connectSynced(server, documentId, liaison))
    const c = track(await connectSynced(server, documentId, member))
    // Enough separate updates that the next load writes a snapshot.
    for (let i = 0; i < 70; i++) {
      a.appendParagraph(`owner ${i}`)
      b.appendParagraph(`liaison ${i}`)
      c.appendParagraph(`member ${i}`)
    }
    await waitFor(() => a.saved && b.saved && c.saved && a.text.length === 210, 'all writes stored')
    // The member deletes one of the owner's paragraphs.
    const ownerIndex = c.text.toArray().findIndex((node) => node.toString().includes('owner'))
    const deletedParagraph = (c.text.toArray()[ownerIndex] as Y.XmlElement)._item!
    c.text.delete(ownerIndex, 1)
    await waitFor(() => c.saved && a.text.length === 209, 'the deletion to be stored')
    const userIdOf = (username: string) =>
      (server.db.prepare('SELECT id FROM users WHERE username = ?').get(username) as { id: number }).id

    for (const client of [a, b, c]) client.destroy()
    await server.close()
    server = await startTestServer(server.dataDir)
    const first = track(await connectSynced(server, documentId, owner))
    first.destroy()
    // Written when the room closed after the edits, or at the first load after them.
    await waitFor(() => (server.db.prepare('SELECT count(*) AS n FROM document_snapshots').get() as { n: number }).n === 1, 'the snapshot')
    await server.close()
    server = await startTestServer(server.dataDir)

    const reader = track(await connectSynced(server, documentId, owner))
    const attribution = new AttributionStore(server.db)
    let checked = 0
    for (const element of reader.text.toArray() as Y.XmlElement[]) {
      const text = element.toArray()[0] as Y.XmlText
      const expected = userIdOf(text.toString().split(' ')[0]!)
      for (let item = text._start; item !== null; item = item.right) {
        for (let offset = 0; offset < item.length; offset++) {
          const history = attribution.historyOf(documentId, item.id.client, item.id.clock + offset)
          expect(history.inserted?.userId).toBe(expected)
          checked++
        }
      }
    }
    expect(checked).toBeGreaterThan(1500)
    const deleted = attribution.historyOf(documentId, deletedParagraph.id.client, deletedParagraph.id.clock)
    expect(deleted.inserted?.userId).toBe(userIdOf('owner'))
    expect(deleted.deleted?.userId).toBe(userIdOf('member'))
  })
})

describe('acknowledged saves survive a crash', () => {
  it('keeps an edit acknowledged just before SIGKILL', async () => {
    await server.close()
    const { dataDir, port, remote, admin, documentId: remoteDocument, ...first } = await startAccordProcess()
    let child = first.child

    const writer = new CollabClient(remote, remoteDocument, admin.cookie)
    await writer.synced()
    for (let i = 0; i < 20; i++) writer.appendParagraph(`Clause ${i}`)
    await waitFor(() => writer.saved, 'the acknowledgement')
    child.child.kill('SIGKILL')
    await child.exited
    writer.destroy()

    child = await spawnServer(dataDir, port).catch((error: Error) => {
      throw new Error(`${error.message}\nfirst run:\n${child.output()}`)
    })
    try {
      const reader = new CollabClient(remote, remoteDocument, admin.cookie)
      await reader.synced()
      expect(reader.text.length).toBe(20)
      expect(reader.plainText().split('\n').at(-1)).toBe('Clause 19')
      reader.destroy()
      const db = openDatabase(dataDir)
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      db.close()
    } finally {
      child.child.kill('SIGTERM')
      await child.exited
    }
    server = await startTestServer()
  })
})

/** Whether this machine lets the tests mount a tmpfs (root, and a kernel that allows it here). */
function canMount(): boolean {
  if (process.getuid?.() !== 0) return false
  const probe = tempDir('accord-mount-probe-')
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' })
    execFileSync('umount', [probe])
    return true
  } catch {
    return false
  } finally {
    fs.rmdirSync(probe)
  }
}
