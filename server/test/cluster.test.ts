import { CloseCode, type CommentThread } from '@accord/shared'
import * as prng from 'lib0/prng'
import * as Y from 'yjs'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { addMember, createPerson, type ApiClient } from './support/api.js'
import { CollabClient, waitFor } from './support/collab.js'
import { converged } from './support/convergence.js'
import { ControlledClient, type CollabTarget } from './support/controlledClient.js'
import { EventStream } from './support/eventStream.js'
import { Instances } from './support/instances.js'
import { dropSchemas, freshSchema, TEST_DATABASE_URL } from './support/postgres.js'
import { randomEdit } from './support/randomEdits.js'
import { RedisServer } from './support/redisServer.js'

/**
 * Several instances of one deployment (docs/DEPLOY.md): real server processes on their own
 * ports sharing one PostgreSQL database (TEST_DATABASE_URL; without it, one SQLite data
 * directory) and a real Redis. Run when TEST_REDIS_URL is set.
 */
const REDIS_URL = process.env.TEST_REDIS_URL
if (!REDIS_URL) {
  process.stdout.write('\n  The scale-out tests (cluster.test.ts) were NOT run: set TEST_REDIS_URL (e.g. redis://127.0.0.1:6379).\n\n')
} else if (!TEST_DATABASE_URL) {
  process.stdout.write('\n  The scale-out tests (cluster.test.ts) share SQLite, not PostgreSQL: set TEST_DATABASE_URL to run them on PostgreSQL.\n\n')
}

const SEED = process.env.SEED ? Number(process.env.SEED) : 11
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function eventually(condition: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

let running: Instances | null = null
const cleanups: (() => unknown)[] = []

const schemas: string[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  await running?.stopAll()
  running = null
})

afterAll(async () => {
  if (TEST_DATABASE_URL && schemas.length > 0) await dropSchemas(TEST_DATABASE_URL, schemas)
})

/**
 * Two instances of one deployment: on PostgreSQL, in a schema of its own, empty at the start
 * (the first admin is created through the setup link, which only exists while there are no
 * accounts); otherwise sharing one SQLite data directory.
 */
async function deployment(options: { redisUrl?: string; env?: Record<string, string> } = {}) {
  const database = TEST_DATABASE_URL ? { databaseUrl: TEST_DATABASE_URL, databaseSchema: freshSchema() } : {}
  if (database.databaseSchema) schemas.push(database.databaseSchema)
  running = await Instances.start({ ...options, ...database, count: 2, redisUrl: options.redisUrl ?? REDIS_URL! })
  const instances = running
  const { admin, documentId } = await instances.setUp()
  const liaison = await createPerson(admin, 'liaison', 'police-liaison')
  await addMember(admin, documentId, 'liaison', 'drafter')
  return { instances, admin, liaison, documentId }
}

function collab(instances: Instances, index: number, documentId: string, person: ApiClient): CollabClient {
  const client = new CollabClient(instances.get(index), documentId, person.cookie)
  cleanups.push(() => client.destroy())
  return client
}

/** A client whose target can be moved to another instance, as a proxy would after one stops. */
function controlled(instances: Instances, index: number, documentId: string, person: ApiClient) {
  const target: CollabTarget = { url: instances.get(index).url, origin: instances.get(index).origin }
  const client = new ControlledClient(target, documentId, person.cookie!)
  cleanups.push(() => client.destroy())
  return { client, moveTo: (other: number) => (target.url = instances.get(other).url) }
}

describe.skipIf(!REDIS_URL)('several instances sharing documents through Redis', () => {
  it('people on two instances converge, each update is stored exactly once, and the snapshot is built from the stored rows', async () => {
    const { instances, admin, liaison, documentId } = await deployment()
    const first = collab(instances, 0, documentId, admin)
    const second = collab(instances, 1, documentId, liaison)
    await Promise.all([first.synced(), second.synced()])
    const before = (await instances.storedRows(documentId)).updates

    for (let i = 0; i < 5; i++) {
      first.appendParagraph(`First instance ${i}`)
      second.appendParagraph(`Second instance ${i}`)
      await sleep(5)
    }
    await waitFor(
      () => first.plainText() === second.plainText() && first.plainText().includes('First instance 4') && first.plainText().includes('Second instance 4'),
      'both instances’ people to see each other’s text',
    )
    await waitFor(() => first.saved && second.saved, 'both writers to be told Saved')

    // A newcomer on either instance loads everything.
    for (const index of [0, 1]) {
      const newcomer = collab(instances, index, documentId, admin)
      await newcomer.synced()
      await waitFor(() => newcomer.plainText() === first.plainText(), `a newcomer on instance ${index} to load the text`)
    }

    // Ten paragraphs, ten updates, each stored once (not once per instance).
    const rows = await instances.storedRows(documentId)
    expect(rows.updates - before).toBe(10)
    expect(rows.duplicateInserts).toBe(0)

    // Everyone leaves: the snapshot is built from the rows, through the newest one, whichever instance writes it.
    for (const cleanup of cleanups.splice(0)) cleanup()
    await eventually(async () => (await instances.storedRows(documentId)).snapshotThrough === rows.newestUpdateId, 'a snapshot through the newest update')
    const reader = collab(instances, 1, documentId, liaison)
    await reader.synced()
    await waitFor(() => reader.plainText() === first.plainText(), 'the document to load from its snapshot')
  }, 60_000)

  it('shows carets across instances, and takes them away when their person leaves', async () => {
    const { instances, admin, liaison, documentId } = await deployment()
    const first = collab(instances, 0, documentId, admin)
    const second = collab(instances, 1, documentId, liaison)
    await Promise.all([first.synced(), second.synced()])
    first.provider.awareness.setLocalStateField('cursor', { anchor: 3, head: 7 })
    const seen = () => second.provider.awareness.getStates().get(first.doc.clientID) as { cursor?: unknown; user?: { username?: string } } | undefined
    await waitFor(() => JSON.stringify(seen()?.cursor) === JSON.stringify({ anchor: 3, head: 7 }), 'the caret on the other instance')
    // Stamped from the session by the instance the person is connected to.
    expect(seen()?.user?.username).toBe('owner')

    // Someone opening the document later on the other instance sees the existing caret too.
    const late = collab(instances, 1, documentId, liaison)
    await late.synced()
    await waitFor(() => late.provider.awareness.getStates().has(first.doc.clientID), 'the caret for a later joiner')

    first.provider.disconnect()
    await waitFor(() => !second.provider.awareness.getStates().has(first.doc.clientID), 'the caret to go when its person leaves')
  }, 60_000)

  it('carries a new comment live to a stream on the other instance, in event order', async () => {
    const { instances, admin, liaison, documentId } = await deployment()
    const stream = await EventStream.open(instances.get(1).url, documentId, instances.on(1, liaison))
    cleanups.push(() => stream.close())
    expect(stream.status).toBe(200)
    await stream.next((event) => event.event === 'threads', 'the opening list')
    const anchor = { start: 'AQLs3Z6ZBRAA', end: 'AQLs3Z6ZBRcA', clauseId: 'clause-1' }
    const created = await admin.post<CommentThread>(`/api/documents/${documentId}/threads`, { body: 'Across instances?', quote: 'shall', anchor })
    expect(created.status).toBe(201)
    const event = await stream.next((each) => each.event === 'thread' && (each.data as CommentThread).id === created.body.id, 'the thread on the other instance')
    const reply = await instances.on(1, liaison).post(`/api/documents/${documentId}/threads/${created.body.id}/comments`, { body: 'Yes.' })
    expect(reply.status).toBeLessThan(300)
    const later = await stream.next((each) => each.event === 'thread' && Number(each.id) > Number(event.id), 'the reply, after it')
    expect((later.data as CommentThread).comments.map((comment) => comment.body)).toEqual(['Across instances?', 'Yes.'])
  }, 60_000)

  it('loses no acknowledged edit when an instance is killed mid-edit; its people move to the other and converge', async () => {
    const { instances, admin, liaison, documentId } = await deployment()
    const gen = prng.create(SEED)
    const movers = [controlled(instances, 0, documentId, admin), controlled(instances, 0, documentId, liaison)]
    const stayer = controlled(instances, 1, documentId, liaison).client
    const clients = [...movers.map((mover) => mover.client), stayer]
    await Promise.all(clients.map((client) => client.connect()))

    const killAt = Date.now() + 1500
    while (Date.now() < killAt) {
      randomEdit(gen, prng.oneOf(gen, clients).doc)
      await sleep(prng.int32(gen, 0, 4))
    }
    await instances.kill(0, 'SIGKILL')
    const acknowledged = movers.map(({ client }) => ({ client: client.doc.clientID, clock: client.savedVector.get(client.doc.clientID) ?? 0 }))
    expect(acknowledged.some(({ clock }) => clock > 0)).toBe(true)

    // What the other instance holds, before the movers arrive (they would resend their text).
    const newcomer = controlled(instances, 1, documentId, admin).client
    await newcomer.connect()
    await waitFor(
      () => acknowledged.every(({ client, clock }) => Y.getState(newcomer.doc.store, client) >= clock),
      'every acknowledged edit on the other instance',
    )
    newcomer.disconnect()

    for (const { client, moveTo } of movers) {
      client.disconnect()
      randomEdit(gen, client.doc)
      moveTo(1)
      await client.connect()
    }
    for (let i = 0; i < 20; i++) randomEdit(gen, prng.oneOf(gen, clients).doc)
    await waitFor(() => converged(clients), 'everyone to converge on the remaining instance', 20_000)
    expect((await instances.storedRows(documentId)).duplicateInserts).toBe(0)
  }, 60_000)

  it('keeps serving each instance’s people while Redis is down, and converges when it returns', async () => {
    const redis = await RedisServer.start()
    cleanups.push(() => redis.stop())
    // The periodic safety net is out of the way: convergence must come from the reconnection.
    const { instances, admin, liaison, documentId } = await deployment({ redisUrl: redis.url, env: { CLUSTER_RECONCILE_MS: '600000' } })
    const first = controlled(instances, 0, documentId, admin).client
    const second = controlled(instances, 1, documentId, liaison).client
    await Promise.all([first.connect(), second.connect()])
    const gen = prng.create(SEED)
    for (let i = 0; i < 20; i++) randomEdit(gen, prng.oneOf(gen, [first, second]).doc)
    await waitFor(() => converged([first, second]), 'convergence before the outage')
    expect(await instances.readyz(0)).toBe(200)
    const stream = await EventStream.open(instances.get(1).url, documentId, instances.on(1, liaison))
    cleanups.push(() => stream.close())
    await stream.next((event) => event.event === 'threads', 'the opening list')

    await redis.stop()
    for (let i = 0; i < 30; i++) {
      randomEdit(gen, prng.oneOf(gen, [first, second]).doc)
      await sleep(2)
    }
    // Each instance still stores its own people's edits.
    await waitFor(() => first.saved && second.saved, 'both instances to keep storing')
    expect(await instances.readyz(0)).toBe(503)
    // Nothing carries the edits across while Redis is away.
    expect(converged([first, second])).toBe(false)
    const anchor = { start: 'AQLs3Z6ZBRAA', end: 'AQLs3Z6ZBRcA', clauseId: 'clause-1' }
    const created = await admin.post<CommentThread>(`/api/documents/${documentId}/threads`, { body: 'During the outage', quote: 'shall', anchor })
    expect(created.status).toBe(201)

    await redis.start()
    await waitFor(() => converged([first, second]), 'convergence after Redis returns', 20_000)
    // The comment made meanwhile reaches the stream on the other instance, from the database.
    await stream.next((event) => event.event === 'thread' && (event.data as CommentThread).id === created.body.id, 'the outage’s comment')
    expect(await instances.readyz(1)).toBe(200)
    expect((await instances.storedRows(documentId)).duplicateInserts).toBe(0)
  }, 60_000)

  it('closes a removed member’s socket and event stream on the other instance at once', async () => {
    const { instances, admin, liaison, documentId } = await deployment()
    const client = collab(instances, 1, documentId, liaison)
    await client.synced()
    const stream = await EventStream.open(instances.get(1).url, documentId, instances.on(1, liaison))
    cleanups.push(() => stream.close())
    await stream.next((event) => event.event === 'threads', 'the opening list')
    // Removed through instance 0; instance 1's own heartbeat would take up to 30 s.
    expect((await admin.delete(`/api/documents/${documentId}/members/liaison`)).status).toBeLessThan(300)
    await waitFor(() => client.closes.some((close) => close.code === CloseCode.AccessChanged), 'the socket on the other instance to close')
    await waitFor(() => stream.ended, 'the stream on the other instance to end')
  }, 60_000)

  it('drains on SIGTERM: everything is stored, sockets close with 1001, and people carry on on the other instance', async () => {
    const { instances, admin, liaison, documentId } = await deployment()
    const gen = prng.create(SEED)
    const mover = controlled(instances, 0, documentId, admin)
    const stayer = controlled(instances, 1, documentId, liaison).client
    const clients = [mover.client, stayer]
    await Promise.all(clients.map((client) => client.connect()))
    for (let i = 0; i < 40; i++) randomEdit(gen, prng.oneOf(gen, clients).doc)
    expect(await instances.kill(0, 'SIGTERM')).toBe(0)
    await waitFor(() => mover.client.closes.includes(CloseCode.GoingAway), 'the close with 1001')
    mover.client.disconnect()
    mover.moveTo(1)
    await mover.client.connect()
    randomEdit(gen, mover.client.doc)
    await waitFor(() => converged(clients), 'everyone to converge on the remaining instance')
    expect((await instances.storedRows(documentId)).duplicateInserts).toBe(0)
  }, 60_000)

  it('converges while people edit, lose messages and reconnect to either instance at random', async () => {
    const { instances, admin, liaison, documentId } = await deployment()
    const gen = prng.create(SEED)
    const people = [admin, liaison, admin, liaison]
    const movers = people.map((person, index) => controlled(instances, index % 2, documentId, person))
    const clients = movers.map((mover) => mover.client)
    await Promise.all(clients.map((client) => client.connect()))
    for (let step = 0; step < 300; step++) {
      const index = prng.int32(gen, 0, clients.length - 1)
      const client = clients[index]!
      const roll = prng.real53(gen)
      if (roll < 0.7) {
        randomEdit(gen, client.doc)
      } else if (roll < 0.8) {
        if (client.pendingOut > 0) client.release(gen)
        else client.hold()
      } else if (roll < 0.9) {
        if (client.pendingIn > 0) client.deliver(gen)
        else client.buffer()
      } else if (client.connected) {
        client.disconnect()
      } else {
        movers[index]!.moveTo(prng.int32(gen, 0, 1))
        await client.connect()
      }
      await sleep(prng.int32(gen, 0, 3))
    }
    for (const client of clients) {
      if (!client.connected) await client.connect()
      client.release(gen)
      client.deliver(gen)
    }
    await waitFor(() => converged(clients), 'everyone to converge', 20_000)
    for (const index of [0, 1]) {
      const joiner = controlled(instances, index, documentId, admin).client
      await joiner.connect()
      await waitFor(() => converged([...clients, joiner]), `a newcomer on instance ${index} to load the same document`)
    }
    // Reconnecting within milliseconds (a browser waits 100 ms) to the other instance while the
    // first still commits the same write can store that person's update twice: harmless (Yjs
    // applies it once, both rows name the same person), but never under someone else's name.
    expect((await instances.storedRows(documentId)).insertsUnderTwoPeople).toBe(0)
  }, 90_000)
})
