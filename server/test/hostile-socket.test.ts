import net from 'node:net'
import { CloseCode, MessageType } from '@accord/shared'
import * as decoding from 'lib0/decoding'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { ConfigError, loadConfig } from '../src/config.js'
import type { Logger } from '../src/logger.js'
import { addMember, createDocument, createPerson, setUpAdmin, type ApiClient } from './support/api.js'
import { CollabClient, connectSynced, waitFor } from './support/collab.js'
import {
  awarenessFrame,
  awarenessFrameOf,
  hostileFrame,
  mutateUpdate,
  realUpdates,
  seededRandom,
  syncStep1Frame,
} from './support/fuzz.js'
import { RawCollabSocket } from './support/rawSocket.js'
import { startTestServer, tempDataDir, type TestServer } from './support/server.js'

/**
 * Every attack here gets a bounded, named refusal, and a well-behaved pair of people on the
 * same document (a writer and a reader) keeps getting edits and acknowledgements meanwhile.
 * Limits are set small through the environment, as an operator would, so each case is quick.
 */

let server: TestServer
const cleanup: Array<() => void> = []
const track = <T extends { destroy(): void } | { close(): void }>(thing: T): T => {
  cleanup.push(() => ('destroy' in thing ? thing.destroy() : thing.close()))
  return thing
}

afterEach(async () => {
  for (const done of cleanup.splice(0)) done()
  await server?.close()
})

/** What the server logged at warn level, so a test can see why it closed a socket. */
function recordingLogger(): Logger & { warnings: { message: string; fields?: Record<string, unknown> }[] } {
  const warnings: { message: string; fields?: Record<string, unknown> }[] = []
  const ignore = () => {}
  return { warnings, debug: ignore, info: ignore, error: ignore, warn: (message, fields) => warnings.push({ message, fields }) }
}

interface Meeting {
  owner: ApiClient
  documentId: string
  writer: CollabClient
  reader: CollabClient
}

async function meeting(env: Record<string, string> = {}, log?: Logger): Promise<Meeting> {
  server = await startTestServer(tempDataDir(), env, log)
  const owner = await setUpAdmin(server, 'owner')
  const documentId = (await createDocument(owner)).id
  const drafter = await createPerson(owner, 'drafter', 'police-liaison')
  await addMember(owner, documentId, 'drafter', 'drafter')
  const writer = track(await connectSynced(server, documentId, drafter))
  const reader = track(await connectSynced(server, documentId, owner))
  return { owner, documentId, writer, reader }
}

/** The good writer's edit reaches the reader and is acknowledged as stored. */
async function stillServed({ writer, reader }: Meeting, text: string): Promise<void> {
  writer.appendParagraph(text)
  await waitFor(() => writer.saved && reader.plainText().includes(text), `"${text}" to be stored and seen`)
}

/** Restarts on the same data and reads the stored text back through a fresh socket. */
async function storedText({ owner, documentId }: Meeting): Promise<string> {
  for (const done of cleanup.splice(0)) done()
  await server.close()
  server = await startTestServer(server.dataDir)
  const fresh = track(new CollabClient(server, documentId, owner.cookie))
  await fresh.synced()
  return fresh.plainText()
}

async function openRaw(m: Meeting): Promise<RawCollabSocket> {
  return track(await RawCollabSocket.open(server, m.documentId, m.owner.cookie!))
}

describe('malformed input', () => {
  it('closes each socket that sends frames outside the protocol with 4400, and only that socket', async () => {
    const m = await meeting()
    const random = seededRandom(7)
    const seen = new Set<string>()
    for (let i = 0; i < 24; i++) {
      const { how, bytes } = hostileFrame(random)
      seen.add(how)
      const raw = await openRaw(m)
      raw.socket.send(bytes)
      await waitFor(() => raw.closed !== null, `the close after ${how}`)
      expect(raw.closed!.code, how).toBe(CloseCode.BadRequest)
    }
    const text = await openRaw(m)
    text.socket.send('{"type":"sync"}')
    await waitFor(() => text.closed !== null, 'the close after a text frame')
    expect(text.closed!.code).toBe(CloseCode.BadRequest)
    expect(seen.size).toBeGreaterThanOrEqual(5)
    await stillServed(m, 'Served after the junk')
  })

  it('refuses damaged Yjs updates (flipped, cut, spliced) without storing any, and keeps serving', async () => {
    const m = await meeting()
    await stillServed(m, 'The agreed text')
    const random = seededRandom(42)
    const sources = realUpdates(random, 40)
    const outcomes = new Map<string, number>()
    let raw = await openRaw(m)
    for (let i = 0; i < 150; i++) {
      const { bytes } = mutateUpdate(random, sources[i % sources.length]!, sources[(i * 7) % sources.length]!)
      if (raw.closed) raw = await openRaw(m)
      const replies = raw.received.length
      raw.sendUpdate(bytes)
      // A verdict is a refusal (101), an acknowledgement (100), or a close.
      await waitFor(() => raw.closed !== null || raw.received.length > replies, 'a verdict on a damaged update')
      const outcome = raw.closed ? `close ${raw.closed.code}` : verdictOf(raw.received[raw.received.length - 1]!)
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
    }
    // Closes are only ever "malformed" or "too many refused writes", never a crash.
    for (const outcome of outcomes.keys()) expect(outcome).toMatch(/^(refused \w+|saved|update|close (4400|4429))$/)
    expect(outcomes.get('refused invalid_update') ?? 0).toBeGreaterThan(0)
    await stillServed(m, 'Served after the fuzz')
    const expected = m.writer.plainText()
    const live = m.reader.plainText()
    expect(live).toBe(expected)
    expect(await storedText(m)).toBe(expected)
  })
})

function verdictOf(message: Uint8Array): string {
  const decoder = decoding.createDecoder(message)
  const type = decoding.readVarUint(decoder)
  if (type === MessageType.Refused) return `refused ${(JSON.parse(decoding.readVarString(decoder)) as { code: string }).code}`
  return type === MessageType.Saved ? 'saved' : 'update'
}

describe('floods', () => {
  it('close a socket that sends more edits per second than anyone types (4429), while others are served', async () => {
    const m = await meeting({ COLLAB_MESSAGES_PER_SECOND: '20' })
    const raw = await openRaw(m)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(m.writer.doc))
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    const text = doc.getXmlFragment('default')
    for (let i = 0; i < 500; i++) {
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText(`flood ${i}`)])
      text.push([paragraph])
    }
    const flood = stillServed(m, 'Typed during the flood')
    for (const update of updates) raw.sendUpdate(update)
    await waitFor(() => raw.closed !== null, 'the flooding socket to be closed')
    expect(raw.closed!.code).toBe(CloseCode.RateLimited)
    await flood
    // What was accepted before the close is ordinary, attributed text; the rest never arrived.
    const floodLines = m.reader.plainText().split('\n').filter((line) => line.startsWith('flood'))
    expect(floodLines.length).toBeGreaterThan(0)
    expect(floodLines.length).toBeLessThan(500)
    await stillServed(m, 'Served after the flood')
  })

  it('close a socket that keeps sending updates whose dependencies never arrive, after a bounded number of resyncs', async () => {
    const m = await meeting()
    const raw = await openRaw(m)
    const orphans: Uint8Array[] = []
    for (let i = 0; i < 200; i++) {
      const doc = new Y.Doc()
      const updates: Uint8Array[] = []
      doc.on('update', (update: Uint8Array) => updates.push(update))
      const paragraph = new Y.XmlElement('paragraph')
      doc.getXmlFragment('default').push([paragraph])
      paragraph.insert(0, [new Y.XmlText(`orphan ${i}`)])
      orphans.push(updates[1]!)
      doc.destroy()
    }
    for (const orphan of orphans) raw.sendUpdate(orphan)
    await waitFor(() => raw.closed !== null, 'the socket to be closed')
    expect(raw.closed!.code).toBe(CloseCode.RateLimited)
    const refusals = raw.refusals()
    expect(refusals.length).toBeGreaterThan(0)
    expect(refusals.length).toBeLessThan(50)
    expect(refusals.every((refusal) => refusal.code === 'missing_dependencies')).toBe(true)
    await stillServed(m, 'Served after the orphans')
    expect(m.reader.plainText()).not.toMatch(/orphan \d/)
  })

  it('close a socket that never reads while asking for the whole document again and again (4001)', async () => {
    const log = recordingLogger()
    const m = await meeting({ COLLAB_OUTBOX_BYTES: String(256 * 1024) }, log)
    // Four long clauses, one at a time: each is one frame for the readers, under the outbox.
    for (let i = 0; i < 4; i++) {
      m.writer.appendParagraph(`${i} ${'long clause text '.repeat(12_000)}`)
      await waitFor(() => m.writer.saved && m.reader.text.length === i + 1, 'a long clause to be stored and seen')
    }

    const raw = await openRaw(m)
    const tcp = (raw.socket as unknown as { _socket: net.Socket })._socket
    tcp.pause()
    for (let i = 0; i < 60; i++) raw.socket.send(syncStep1Frame())
    await waitFor(
      () => log.warnings.some((warning) => warning.fields?.code === CloseCode.SlowConsumer),
      'the server to give up on the socket that does not read',
    )
    await stillServed(m, 'Served beside the slow reader')
    tcp.resume()
    await waitFor(() => raw.closed !== null, 'the close frame to reach the slow reader')
    expect(raw.closed!.code).toBe(CloseCode.SlowConsumer)
  })
})

describe('awareness', () => {
  it('closes a socket whose caret state is far larger than a caret (4413)', async () => {
    const m = await meeting({ COLLAB_MAX_AWARENESS_BYTES: '4096' })
    const raw = await openRaw(m)
    raw.socket.send(awarenessFrame(4242, JSON.stringify({ cursor: null, junk: 'x'.repeat(5000) })))
    await waitFor(() => raw.closed !== null, 'the close')
    expect(raw.closed!.code).toBe(CloseCode.MessageTooLarge)
    await stillServed(m, 'Served after the huge caret')
  })

  it('keeps a caret its owner’s: no other socket changes it, and it is free again once its socket leaves', async () => {
    const m = await meeting()
    const id = m.writer.doc.clientID
    const cursorOf = () => (m.reader.provider.awareness.getStates().get(id) as { cursor?: { anchor?: string } } | undefined)?.cursor?.anchor
    m.writer.provider.awareness.setLocalStateField('cursor', { anchor: 'writer' })
    await waitFor(() => cursorOf() === 'writer', 'the writer’s caret')
    const raw = await openRaw(m)
    raw.socket.send(awarenessFrameOf([{ clientId: id, clock: 1000, stateJson: '{"cursor":{"anchor":"impostor"}}' }]))
    // Carets go out with the next edit: once this one arrives, the impostor's would have too.
    await stillServed(m, 'Served after the impostor')
    expect(cursorOf()).toBe('writer')
    expect(raw.closed).toBeNull()

    m.writer.destroy()
    await waitFor(() => !m.reader.provider.awareness.getStates().has(id), 'the writer’s caret to go')
    raw.socket.send(awarenessFrameOf([{ clientId: id, clock: 1001, stateJson: '{"cursor":{"anchor":"next"}}' }]))
    await waitFor(() => cursorOf() === 'next', 'the id spoken for by the next socket')
  })

  it('lets one socket speak for a few awareness ids only', async () => {
    const m = await meeting()
    const raw = await openRaw(m)
    const before = m.reader.provider.awareness.getStates().size
    raw.socket.send(
      awarenessFrameOf(Array.from({ length: 50 }, (_, i) => ({ clientId: 900_000 + i, clock: 1, stateJson: '{"cursor":null}' }))),
    )
    await waitFor(() => m.reader.provider.awareness.getStates().size > before, 'the carets to arrive')
    await stillServed(m, 'Served after the crowd of carets')
    expect(m.reader.provider.awareness.getStates().size - before).toBe(4)
    expect(raw.closed).toBeNull()
  })
})

describe('connection caps', () => {
  it('refuse sockets beyond the cap per person and per address with 4430, and admit again once one closes', async () => {
    server = await startTestServer(tempDataDir(), { COLLAB_SOCKETS_PER_PERSON: '3', COLLAB_SOCKETS_PER_ADDRESS: '5' })
    const owner = await setUpAdmin(server, 'owner')
    const documentId = (await createDocument(owner)).id
    const drafter = await createPerson(owner, 'drafter')
    const reviewer = await createPerson(owner, 'reviewer')
    await addMember(owner, documentId, 'drafter', 'drafter')
    await addMember(owner, documentId, 'reviewer', 'reviewer')

    const owners = [] as RawCollabSocket[]
    for (let i = 0; i < 3; i++) owners.push(track(await RawCollabSocket.open(server, documentId, owner.cookie!)))
    const fourth = await closeOf(owner.cookie!, documentId)
    expect(fourth).toBe(CloseCode.TooManyConnections)

    for (let i = 0; i < 2; i++) track(await RawCollabSocket.open(server, documentId, drafter.cookie!))
    // Five sockets now come from this address: a third person is refused too.
    expect(await closeOf(reviewer.cookie!, documentId)).toBe(CloseCode.TooManyConnections)

    owners[0]!.close()
    await waitFor(() => owners[0]!.closed !== null, 'the close')
    const reviewerSocket = track(await RawCollabSocket.open(server, documentId, reviewer.cookie!))
    expect(reviewerSocket.closed).toBeNull()
  })

  async function closeOf(cookie: string, documentId: string): Promise<number> {
    const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/collab/${documentId}`, { headers: { cookie, origin: server.origin } })
    return new Promise((resolve) => socket.on('close', (code) => resolve(code)))
  }
})

describe('before a session is known', () => {
  it('closes a connection that sends nothing, or its request head too slowly, and refuses oversized heads', async () => {
    const m = await meeting({ UNAUTHENTICATED_TIMEOUT_MS: '400', MAX_HEADER_BYTES: '4096' })
    const port = Number(new URL(server.url).port)
    const silent = await rawTcp(port, '')
    const slow = await rawTcp(port, `GET /collab/${m.documentId} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n`)
    const huge = await rawTcp(port, `GET /collab/${m.documentId} HTTP/1.1\r\nHost: localhost\r\nCookie: ${'a'.repeat(8000)}\r\n\r\n`)
    await Promise.all([silent.closed, slow.closed, huge.closed])
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/)
    expect(huge.received()).toMatch(/^HTTP\/1\.1 431/)
    await stillServed(m, 'Served beside the idle sockets')
  })

  function rawTcp(port: number, send: string): Promise<{ closed: Promise<void>; received: () => string }> {
    return new Promise((resolve) => {
      let received = ''
      const socket = net.connect(port, '127.0.0.1', () => {
        if (send) socket.write(send)
        resolve({ closed, received: () => received })
      })
      socket.on('data', (chunk) => (received += chunk.toString()))
      socket.on('error', () => {})
      const closed = new Promise<void>((done) => socket.on('close', () => done()))
    })
  }
})

describe('the limits', () => {
  it('default to what a meeting behind one school address needs, and are set from the environment, validated', () => {
    const defaults = loadConfig({}).limits
    expect(defaults.socketsPerAddress).toBeGreaterThanOrEqual(200 * 3)
    expect(defaults.messagesPerSecond).toBeGreaterThanOrEqual(30)
    expect(defaults.loginFailuresPerAddress).toBeGreaterThanOrEqual(200)
    expect(loadConfig({ COLLAB_SOCKETS_PER_PERSON: '5', UNAUTHENTICATED_TIMEOUT_MS: '2500' }).limits).toMatchObject({
      socketsPerPerson: 5,
      unauthenticatedTimeoutMs: 2500,
    })
    for (const bad of [{ COLLAB_MESSAGES_PER_SECOND: '0' }, { COLLAB_MAX_MESSAGE_BYTES: '1000' }, { COLLAB_SOCKETS_PER_ADDRESS: 'many' }]) {
      expect(() => loadConfig(bad)).toThrow(ConfigError)
      expect(() => loadConfig(bad)).toThrow(Object.keys(bad)[0]!)
    }
  })
})
