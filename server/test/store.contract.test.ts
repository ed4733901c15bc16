/**
 * One contract for every store, run against SQLite always and against PostgreSQL when
 * TEST_DATABASE_URL is set (each PostgreSQL run in a schema of its own, dropped afterwards).
 */
import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { loadAttribution } from '../src/persistence/attribution.js'
import { openStorage, type Storage } from '../src/persistence/storage.js'
import { UpdateLog, type UpdateEntry } from '../src/persistence/updateLog.js'
import { waitFor } from './support/collab.js'
import { dropSchemas, freshSchema, TEST_DATABASE_URL } from './support/postgres.js'
import { tempDataDir } from './support/server.js'

interface Engine {
  name: string
  /** Opens one more Storage on the same database (a second instance). */
  open(): Promise<Storage>
  cleanup(): Promise<void>
}

const engines: { name: string; start: () => Engine }[] = [
  {
    name: 'SQLite',
    start: () => {
      const dataDir = tempDataDir()
      return {
        name: 'SQLite',
        open: () => openStorage({ dataDir, postgres: null }),
        cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
      }
    },
  },
]
if (TEST_DATABASE_URL) {
  engines.push({
    name: 'PostgreSQL',
    start: () => {
      const dataDir = tempDataDir()
      const schema = freshSchema()
      return {
        name: 'PostgreSQL',
        open: () => openStorage({ dataDir, postgres: { url: TEST_DATABASE_URL!, schema } }),
        cleanup: async () => {
          await dropSchemas(TEST_DATABASE_URL!, [schema])
          fs.rmSync(dataDir, { recursive: true, force: true })
        },
      }
    },
  })
} else {
  describe.skip('PostgreSQL store contract: NOT RUN, TEST_DATABASE_URL is not set', () => {
    it('runs every store behaviour below against PostgreSQL', () => {})
  })
}

/** A document's paragraphs as the stored rows rebuild it, one after another. */
function textOf(state: { snapshot: Uint8Array | null; updates: Uint8Array[] }): string {
  const doc = new Y.Doc()
  if (state.snapshot) Y.applyUpdate(doc, state.snapshot)
  for (const update of state.updates) Y.applyUpdate(doc, update)
  return doc
    .getXmlFragment('default')
    .toArray()
    .map((paragraph) => (paragraph as Y.XmlElement).toArray().join(''))
    .join('')
}

/**
 * A writer on its own Y.Doc: each call appends a paragraph (a valid document, as compaction
 * checks) and returns the update it made, with the range of ids it inserted.
 */
function writer(clientId: number) {
  const doc = new Y.Doc()
  doc.clientID = clientId
  return (text: string) => {
    let update: Uint8Array | null = null
    const clock = Y.getState(doc.store, clientId)
    doc.once('update', (bytes: Uint8Array) => (update = bytes))
    doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText(text)])
      doc.getXmlFragment('default').push([paragraph])
    })
    const length = Y.getState(doc.store, clientId) - clock
    return { update: update!, changes: [{ kind: 'insert' as const, client: clientId, clock, length }] }
  }
}

describe.each(engines)('the $name store', ({ start }) => {
  let engine: Engine
  let storage: Storage
  const opened: Storage[] = []
  const logs: UpdateLog[] = []

  const another = async () => {
    const more = await engine.open()
    opened.push(more)
    return more
  }

  /** An update log with its events recorded. */
  const updateLogOf = (over: Storage) => {
    const committed: UpdateEntry[] = []
    const failed: string[] = []
    const log = new UpdateLog(over.updateLog(), {
      onCommitted: (updates) => committed.push(...updates),
      onFailed: (documentIds) => failed.push(...documentIds),
    })
    logs.push(log)
    return { log, committed, failed }
  }

  beforeEach(async () => {
    engine = start()
    storage = await another()
  })

  afterEach(async () => {
    for (const log of logs.splice(0)) await log.close()
    for (const one of opened.splice(0)) await one.close()
    await engine.cleanup()
  })

  const person = async (username: string, over = storage) =>
    (await over.users.create({ username, displayName: username.toUpperCase(), affiliation: 'district-staff', passwordHash: 'x', isAdmin: false }))!

  describe('accounts and sessions', () => {
    it('creates people once per username, finds, lists, changes and counts them', async () => {
      const ana = await person('ana')
      expect(await person('ana')).toBeNull()
      const bo = (await storage.users.create({ username: 'bo', displayName: 'bo', affiliation: 'counsel', passwordHash: 'h', isAdmin: true }))!
      expect(await storage.users.byUsername('ana')).toEqual(ana)
      expect((await storage.users.byId(bo.id))!.isAdmin).toBe(true)
      expect((await storage.users.list()).map((user) => user.username)).toEqual(['ana', 'bo'])
      expect(await storage.users.count()).toBe(2)
      expect(await storage.users.countActiveAdmins()).toBe(1)
      const changed = await storage.users.update(bo.id, { active: false, displayName: 'Bo B' })
      expect(changed).toMatchObject({ active: false, displayName: 'Bo B' })
      expect(await storage.users.countActiveAdmins()).toBe(0)
      expect(await storage.users.update(9999, { active: false })).toBeNull()
    })

    it('resolves a session until it expires or is ended', async () => {
      const ana = await person('ana')
      const bo = await person('bo')
      const now = Date.now()
      await storage.sessions.create('t1', ana.id, now + 60_000)
      await storage.sessions.create('t2', ana.id, now + 60_000)
      await storage.sessions.create('t3', bo.id, now - 1)
      expect(await storage.sessions.userIdFor('t1')).toBe(ana.id)
      expect(await storage.sessions.userIdFor('t3')).toBeNull()
      await storage.sessions.delete('t1')
      expect(await storage.sessions.userIdFor('t1')).toBeNull()
      expect(await storage.sessions.userIdFor('t2')).toBe(ana.id)
      await storage.sessions.deleteAllOf(ana.id)
      expect(await storage.sessions.userIdFor('t2')).toBeNull()
      await storage.sessions.deleteExpired()
      const other = await another()
      expect(await other.sessions.userIdFor('t3', now - 10)).toBeNull()
    })
  })

  describe('documents and members', () => {
    it('makes the creator the first owner and keeps members with their roles', async () => {
      const ana = await person('ana')
      const bo = await person('bo')
      const document = await storage.documents.create('MOU', ana.id)
      expect(await storage.documents.membership(document.id, ana.id)).toMatchObject({ role: 'owner', title: 'MOU', status: 'active' })
      expect(await storage.documents.membership(document.id, bo.id)).toBeNull()
      await storage.documents.setMember(document.id, bo.id, 'reviewer')
      await storage.documents.setMember(document.id, bo.id, 'drafter')
      expect(await storage.documents.members(document.id)).toEqual([
        { userId: ana.id, username: 'ana', displayName: 'ANA', affiliation: 'district-staff', role: 'owner' },
        { userId: bo.id, username: 'bo', displayName: 'BO', affiliation: 'district-staff', role: 'drafter' },
      ])
      expect(await storage.documents.countOwners(document.id)).toBe(1)
      expect((await storage.documents.listFor(bo.id)).map((listed) => listed.id)).toEqual([document.id])
      await storage.documents.update(document.id, { status: 'archived' })
      expect((await storage.documents.byId(document.id))!.status).toBe('archived')
      expect(await storage.documents.removeMember(document.id, bo.id)).toBe(true)
      expect(await storage.documents.removeMember(document.id, bo.id)).toBe(false)
    })
  })

  describe('the update log', () => {
    it('stores appended updates in order and loads them back, with who wrote which ids and who owns each client id', async () => {
      const ana = await person('ana')
      const bo = await person('bo')
      const { id } = await storage.documents.create('MOU', ana.id)
      const { log, committed } = updateLogOf(storage)
      const anaWrites = writer(101)
      const first = anaWrites('Hello ')
      log.append({ sequence: 1, documentId: id, data: first.update, userId: ana.id, changes: first.changes })
      const second = anaWrites('world')
      log.append({ sequence: 2, documentId: id, data: second.update, userId: ana.id, changes: second.changes })
      await log.stored(id)
      expect(committed.map((entry) => entry.sequence)).toEqual([1, 2])

      // Bo writes under Ana's client id: the claim stays Ana's.
      const third = writer(202)('!')
      log.append({ sequence: 3, documentId: id, data: third.update, userId: bo.id, changes: [...third.changes, { kind: 'insert', client: 101, clock: 99, length: 1 }] })
      await log.stored(id)

      const stored = await (await another()).updateLog().load(id)
      expect(stored.snapshot).toBeNull()
      expect(stored.updates).toHaveLength(3)
      expect(textOf(stored)).toBe('Hello world!')
      expect(stored.clientOwners).toEqual(new Map([[101, ana.id], [202, bo.id]]))

      const all = await log.updatesAfter(id, 0)
      expect(all.updates.map((update) => update.userId)).toEqual([ana.id, ana.id, bo.id])
      const later = await log.updatesAfter(id, all.updates[0]!.id)
      expect(later.updates.map((update) => update.id)).toEqual(all.updates.slice(1).map((update) => update.id))
      expect(later.clientOwners.get(202)).toBe(bo.id)
      expect(await log.updatesAfter(id, all.updates[2]!.id)).toEqual({ updates: [], clientOwners: new Map() })

      const attribution = await loadAttribution(storage.sql, id)
      expect(attribution.historyOf(id, 101, 7)).toMatchObject({ inserted: { userId: ana.id }, deleted: null })
      expect(attribution.historyOf(id, 202, 0)).toMatchObject({ inserted: { userId: bo.id } })
      expect(attribution.historyOf(id, 101, 500)).toEqual({ inserted: null, deleted: null })
    })

    it('acknowledges only after the commit, keeps a failed batch queued and stores it once storing works again', async () => {
      const ana = await person('ana')
      const { log, committed, failed } = updateLogOf(storage)
      const missing = '6f1c2a8e-0000-4000-8000-000000000001'
      const edit = writer(7)('kept')
      // No such document yet: the database refuses the rows (a foreign key), as it would refuse a full disk.
      log.append({ sequence: 1, documentId: missing, data: edit.update, userId: ana.id, changes: edit.changes })
      await waitFor(() => failed.length > 0, 'the failure to be reported')
      expect(committed).toEqual([])
      expect(log.hasPending(missing)).toBe(true)

      await storage.sql
        .prepare('INSERT INTO documents (id, title, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
        .run(missing, 'Late', ana.id, Date.now(), Date.now())
      await log.stored(missing)
      expect(committed.map((entry) => entry.sequence)).toEqual([1])
      // What was acknowledged is readable by another connection at once.
      expect(textOf(await (await another()).updateLog().load(missing))).toBe('kept')
    })

    it('refuses a damaged snapshot instead of loading it', async () => {
      const ana = await person('ana')
      const { id } = await storage.documents.create('MOU', ana.id)
      const { log } = updateLogOf(storage)
      const edit = writer(5)('text')
      log.append({ sequence: 1, documentId: id, data: edit.update, userId: ana.id, changes: edit.changes })
      await log.stored(id)
      expect(await log.compact(id)).toMatchObject({ written: true })
      await storage.sql.prepare("UPDATE document_snapshots SET state_sha256 = ? WHERE document_id = ?").run(Buffer.alloc(32), id)
      await expect(log.load(id)).rejects.toThrow(/damaged/)
    })
  })

  describe('compaction', () => {
    it('builds the snapshot from the stored rows, and two instances compacting while both append never lose an update', async () => {
      const ana = await person('ana')
      const { id } = await storage.documents.create('MOU', ana.id)
      const one = updateLogOf(storage)
      const two = updateLogOf(await another())
      const words: string[] = []
      const writers = [writer(11), writer(22)]
      let sequence = 0
      for (let round = 0; round < 12; round++) {
        const [log, write] = round % 2 === 0 ? [one.log, writers[0]!] : [two.log, writers[1]!]
        const word = `w${round} `
        words.push(word)
        const edit = write(word)
        log.append({ sequence: ++sequence, documentId: id, data: edit.update, userId: ana.id, changes: edit.changes })
        if (round % 3 === 2) {
          // Compactions race the appends still on their way to the database: each covers what it found stored.
          await Promise.all([one.log.compact(id), two.log.compact(id), one.log.stored(id), two.log.stored(id)])
        }
      }
      await Promise.all([one.log.stored(id), two.log.stored(id)])
      const [a, b] = await Promise.all([one.log.compact(id), two.log.compact(id)])
      expect(a.throughUpdateId).toBe(b.throughUpdateId)
      expect([a.written, b.written].filter(Boolean).length).toBeLessThanOrEqual(1)

      const stored = await one.log.load(id)
      expect(stored.updates).toEqual([])
      expect(stored.lastUpdateId).toBe(a.throughUpdateId)
      const text = textOf(stored)
      for (const word of words) expect(text).toContain(word)
      expect(text.length).toBe(words.join('').length)
      // The stored state vector is the snapshot's own.
      expect(stored.snapshotStateVector).toEqual(Y.encodeStateVectorFromUpdate(stored.snapshot!))
    })

    it('refuses to compact a stored state that does not fit together, and writes nothing', async () => {
      const ana = await person('ana')
      const { id } = await storage.documents.create('MOU', ana.id)
      const { log } = updateLogOf(storage)
      const write = writer(9)
      for (const [sequence, word] of ['one', 'two'].entries()) {
        const edit = write(word)
        log.append({ sequence: sequence + 1, documentId: id, data: edit.update, userId: ana.id, changes: edit.changes })
      }
      await log.stored(id)
      const [first] = (await log.updatesAfter(id, 0)).updates
      await storage.sql.prepare('DELETE FROM document_changes WHERE update_id = ?').run(first!.id)
      await storage.sql.prepare('DELETE FROM document_updates WHERE id = ?').run(first!.id)
      await expect(log.compact(id)).rejects.toThrow(/do not fit together/)
      expect(await storage.sql.prepare('SELECT 1 FROM document_snapshots WHERE document_id = ?').get(id)).toBeUndefined()
    })
  })

  describe('migrations', () => {
    it('can run from two instances starting at the same moment', async () => {
      const fresh = start()
      try {
        const both = await Promise.all([fresh.open(), fresh.open()])
        const ana = await person('ana', both[0])
        expect((await both[1].users.byUsername('ana'))!.id).toBe(ana.id)
        for (const one of both) await one.close()
        const again = await fresh.open()
        expect(await again.users.count()).toBe(1)
        await again.close()
      } finally {
        await fresh.cleanup()
      }
    })
  })

  describe('versions, activity and finals', () => {
    it('keeps versions whole and lists them newest first', async () => {
      const ana = await person('ana')
      const { id } = await storage.documents.create('MOU', ana.id)
      const state = writer(3)('Version text').update
      const first = await storage.versions.create({ documentId: id, name: 'First', kind: 'named', createdBy: ana.id, createdAt: 1000, state, stateVector: Y.encodeStateVectorFromUpdate(state) })
      const second = await storage.versions.create({ documentId: id, name: 'Automatic checkpoint', kind: 'automatic', createdBy: null, createdAt: 2000, state, stateVector: new Uint8Array([0]) })
      expect(first.createdBy).toEqual({ username: 'ana', displayName: 'ANA', affiliation: 'district-staff' })
      expect((await storage.versions.list(id)).map((version) => version.id)).toEqual([second.id, first.id])
      expect((await storage.versions.latest(id))!.id).toBe(second.id)
      expect(await storage.versions.byId('00000000-0000-4000-8000-000000000000', first.id)).toBeNull()
      expect(await storage.versions.state(first.id)).toEqual(state)
    })

    it('records activity, joins at most once in a while, with comments and resolutions from the threads', async () => {
      const ana = await person('ana')
      const { id } = await storage.documents.create('MOU', ana.id)
      const activity = storage.activity(() => {})
      await activity.record(id, ana.id, 'versionSaved', 'First', 1000)
      await activity.recordJoin(id, ana.id, 2000)
      await activity.recordJoin(id, ana.id, 2001)
      await activity.flushJoins()
      await activity.recordJoin(id, ana.id, 3000)
      const thread = await storage.threads.create(id, ana.id, { body: 'Why?', quote: 'the text', anchor: { start: 's', end: 'e', clauseId: null } }, [])
      await storage.threads.setStatus(id, thread.thread.id, 'resolved', ana.id)
      const feed = await activity.list(id, 10)
      expect(feed.map((entry) => entry.kind).sort()).toEqual(['commented', 'joined', 'resolved', 'versionSaved'])
      expect(feed.find((entry) => entry.kind === 'versionSaved')).toMatchObject({ detail: 'First', at: 1000, person: { username: 'ana' } })
    })

    it('keeps each Final with its files, and knows which one is in force', async () => {
      const ana = await person('ana')
      const { id } = await storage.documents.create('MOU', ana.id)
      const bytes = (text: string) => new TextEncoder().encode(text)
      const files = { docx: bytes('d'), pdf: bytes('p'), html: bytes('h'), md: bytes('m'), txt: bytes('t') }
      const final = await storage.finals.create({ documentId: id, versionLabel: 'Final 1', title: 'MOU', state: bytes('s'), fingerprint: 'f1', files, createdBy: ana.id, createdAt: 5 })
      expect(await storage.finals.current(id)).toEqual(final)
      expect(await storage.finals.file(final.id, 'pdf')).toEqual(bytes('p'))
      expect(await storage.finals.state(final.id)).toEqual(bytes('s'))
      await storage.finals.markReopened(final.id, ana.id, 6)
      expect(await storage.finals.current(id)).toBeNull()
      expect(await storage.finals.count(id)).toBe(1)
      expect((await storage.finals.history(id))[0]).toMatchObject({ reopenedAt: 6, reopenedBy: { username: 'ana' } })
    })
  })

  describe('comment threads', () => {
    it('records every change with an increasing event id, in comment order, and fills the Inbox', async () => {
      const ana = await person('ana')
      const bo = await person('bo')
      const { id } = await storage.documents.create('MOU', ana.id)
      await storage.documents.setMember(id, bo.id, 'drafter')
      expect(await storage.threads.lastEventId(id)).toBe(0)
      const created = await storage.threads.create(id, ana.id, { body: 'First @bo', quote: 'q', anchor: { start: 's', end: 'e', clauseId: 'c1' } }, [bo.id])
      const thread = (await storage.threads.ownership(id, created.thread.id))!
      const reply = await storage.threads.reply(id, thread, bo.id, 'Second', [])
      const [, second] = reply.thread.comments
      const edited = await storage.threads.edit(id, thread.id, (await storage.threads.commentOwnership(thread.id, second!.id))!, 'Second, edited', [])
      const deleted = await storage.threads.delete(id, thread.id, (await storage.threads.commentOwnership(thread.id, second!.id))!)
      expect(created.eventId).toBeLessThan(reply.eventId)
      expect(reply.eventId).toBeLessThan(edited.eventId)
      expect(edited.eventId).toBeLessThan(deleted.eventId)
      expect(deleted.thread.comments.map((comment) => comment.body)).toEqual(['First @bo', null])
      expect(await storage.threads.lastEventId(id)).toBe(deleted.eventId)
      expect((await storage.threads.changesSince(id, created.eventId)).map((change) => change.eventId)).toEqual([deleted.eventId])
      expect(await storage.threads.list(id)).toEqual([deleted.thread])

      const boInbox = await storage.threads.inbox(bo.id)
      expect(boInbox).toMatchObject([{ kind: 'mention', from: { username: 'ana' }, read: false }])
      const anaInbox = await storage.threads.inbox(ana.id)
      expect(anaInbox).toMatchObject([{ kind: 'reply', from: { username: 'bo' } }])
      expect(await storage.threads.markRead(bo.id, boInbox[0]!.id)).toBe(true)
      expect(await storage.threads.markRead(ana.id, boInbox[0]!.id)).toBe(false)
      expect((await storage.threads.inbox(bo.id))[0]!.read).toBe(true)
      expect(await storage.threads.thread('00000000-0000-4000-8000-000000000000', thread.id)).toBeNull()
    })
  })

  describe('templates', () => {
    it('versions a template on every change and retires it without forgetting it', async () => {
      const ana = await person('ana')
      const source = (title: string) => ({ title, body: [`${title} text`] })
      const created = await storage.templates.create({ key: 'k1', category: 'foundations', summary: 'S', source: source('Alpha') }, null)
      expect(await storage.templates.byKey('k1')).toEqual(created)
      const updated = (await storage.templates.update(created.id, { category: 'foundations', summary: 'S2', source: source('Alpha 2') }, ana.id))!
      expect(updated.version).toBe(2)
      expect((await storage.templates.versions(created.id)).map((version) => version.source.title)).toEqual(['Alpha', 'Alpha 2'])
      expect(await storage.templates.setRetired(created.id, true)).toBe(true)
      expect(await storage.templates.list()).toEqual([])
      expect((await storage.templates.list({ includeRetired: true })).map((template) => template.retired)).toEqual([true])
      expect(await storage.templates.count()).toBe(1)
    })
  })
})
