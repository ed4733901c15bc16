/**
 * Seeded fuzz of the collaboration socket, for the soak run: the real server in its own
 * process (as `npm start` runs it), attacked by a drafter's and a reviewer's raw sockets with
 * damaged Yjs updates, junk frames, hostile carets, orphaned updates and floods, batch after
 * batch until the deadline. After each batch a well-behaved writer must still get an edit to
 * a reader and have it acknowledged; at the end the server restarts and the stored document
 * must read back exactly as the writer has it, and pass the schema check.
 *
 * A batch is reproducible from its seed (noted when it goes wrong): `seededRandom(seed)`.
 */
import fs from 'node:fs'
import * as Y from 'yjs'
import { checkDocument } from '../src/collab/schemaCheck.js'
import { openDatabase } from '../src/persistence/database.js'
import { addMember, createDocument, createPerson, setUpAdmin, type ApiClient } from '../test/support/api.js'
import { CollabClient, waitFor } from '../test/support/collab.js'
import {
  awarenessFrame,
  awarenessFrameOf,
  hostileFrame,
  mutateUpdate,
  realUpdates,
  seededRandom,
  syncStep1Frame,
  updateFrame,
  type Random,
} from '../test/support/fuzz.js'
import { freePort, spawnServer } from '../test/support/process.js'
import { RawCollabSocket } from '../test/support/rawSocket.js'
import { tempDataDir, type ServerAddress } from '../test/support/server.js'

export interface FuzzResult {
  casesTried: number
  crashes: number
  notes: string[]
}

/** Attacking sockets at once (one of them a reviewer's), and cases each sends per batch. */
const LANES = 5
const CASES_PER_LANE = 30
/** A well-behaved edit that takes longer than this to be stored and seen counts as not served. */
const SERVED_TIMEOUT_MS = 15_000
/** Loading the fuzzed document after a restart: it holds every flood's accepted edits. */
const RELOAD_TIMEOUT_MS = 60_000

type Attacker = 'drafter' | 'reviewer'

export async function runFuzz(deadline: number): Promise<FuzzResult> {
  const dataDir = tempDataDir()
  const port = await freePort()
  const address: ServerAddress = { url: `http://127.0.0.1:${port}`, origin: `http://localhost:${port}`, setupUrl: null }
  let server = await spawnServer(dataDir, port)
  await waitFor(() => /\/setup\?token=\S+\n/.test(server.output()), 'the setup link', 20_000)
  address.setupUrl = /(http:\/\/\S+\/setup\?token=\S+)\n/.exec(server.output())![1]!

  const notes: string[] = []
  const kinds = new Map<string, number>()
  const outcomes = new Map<string, number>()
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1)
  let casesTried = 0
  let crashes = 0
  let slowestServedMs = 0
  let peakRssKb = 0

  const admin = await setUpAdmin(address, 'admin')
  const documentId = (await createDocument(admin, 'Fuzzed MOU')).id
  const writerAccount = await createPerson(admin, 'writer', 'board-member')
  const attackers: Record<Attacker, ApiClient> = {
    drafter: await createPerson(admin, 'mallory', 'other'),
    reviewer: await createPerson(admin, 'eve', 'other'),
  }
  await addMember(admin, documentId, 'writer', 'drafter')
  await addMember(admin, documentId, 'mallory', 'drafter')
  await addMember(admin, documentId, 'eve', 'reviewer')

  let writer = new CollabClient(address, documentId, writerAccount.cookie)
  let reader = new CollabClient(address, documentId, admin.cookie)
  await Promise.all([writer.synced(), reader.synced()])
  const refusals = new Map<string, number>()
  /** Tallies how the server answered a socket that is done with. */
  const retire = (socket: RawCollabSocket) => {
    if (socket.closed) count(outcomes, `closed ${socket.closed.code}`)
    for (const refusal of socket.refusals()) count(refusals, refusal.code)
  }
  /** One raw socket per lane; a lane whose socket the server closed opens another. */
  const sockets = new Map<number, RawCollabSocket>()

  const socketOf = async (lane: number, who: Attacker): Promise<RawCollabSocket> => {
    const open = sockets.get(lane)
    if (open && !open.closed) return open
    if (open?.closed) retire(open)
    const fresh = await RawCollabSocket.open(address, documentId, attackers[who].cookie!)
    sockets.set(lane, fresh)
    return fresh
  }

  const restart = async (why: string | null) => {
    if (why) notes.push(why)
    for (const socket of sockets.values()) {
      retire(socket)
      socket.close()
    }
    sockets.clear()
    writer.destroy()
    reader.destroy()
    if (server.child.exitCode === null) {
      server.child.kill('SIGTERM')
      await server.exited
    }
    server = await spawnServer(dataDir, port)
    writer = new CollabClient(address, documentId, writerAccount.cookie)
    reader = new CollabClient(address, documentId, admin.cookie)
    const loaded = () => writer.provider.synced && reader.provider.synced
    await waitFor(loaded, 'the document to load after a restart', RELOAD_TIMEOUT_MS).catch(() => {
      const closes = [...writer.closes, ...reader.closes].map((close) => close.code)
      throw new Error(`the document did not load after a restart (closes: ${closes.join(', ') || 'none'}):\n${server.output().slice(-3000)}`)
    })
  }

  try {
    for (let batch = 1; Date.now() < deadline; batch++) {
      const seed = batch * 7919
      // The writer's whole state: real dependencies, a real client id to forge.
      const writerState = Y.encodeStateAsUpdate(writer.doc)
      const lane = async (index: number) => {
        const random = seededRandom(seed + index)
        const sources = realUpdates(random, 30)
        // Lane 0 is the reviewer (a read-only socket), the others the drafter.
        const who: Attacker = index === 0 ? 'reviewer' : 'drafter'
        for (let i = 0; i < CASES_PER_LANE && Date.now() < deadline; i++) {
          const socket = await socketOf(index, who)
          const replies = socket.received.length
          const kind = await throwOne(random, socket, sources, writerState)
          count(kinds, kind)
          casesTried++
          // Wait for the verdict (nearly every case gets one), so the next case is not sent to
          // a socket the server is already closing.
          await waitFor(() => socket.closed !== null || socket.received.length > replies, 'a verdict', 300).catch(() => {})
        }
      }
      await Promise.all(Array.from({ length: LANES }, (_, index) => lane(index)))
      // Let the server answer what it was sent before judging it.
      await new Promise((resolve) => setTimeout(resolve, 50))
      if (server.child.exitCode !== null) {
        crashes++
        await restart(`batch ${batch} (seed ${seed}): the server exited with ${server.child.exitCode}:\n${server.output().slice(-2000)}`)
        continue
      }
      const started = Date.now()
      const line = `Batch ${batch} still served`
      writer.appendParagraph(line)
      try {
        await waitFor(() => writer.saved && reader.plainText().includes(line), `batch ${batch} to be served`, SERVED_TIMEOUT_MS)
        slowestServedMs = Math.max(slowestServedMs, Date.now() - started)
      } catch {
        crashes++
        await restart(`batch ${batch} (seed ${seed}): a well-behaved edit was not stored and seen within ${SERVED_TIMEOUT_MS} ms`)
        continue
      }
      peakRssKb = Math.max(peakRssKb, rssKb(server.child.pid!))
    }

    // Everything the writer has is what is stored, and what is stored is a valid document.
    await waitFor(() => writer.saved, 'the last edit to be stored', SERVED_TIMEOUT_MS)
    const cpu = cpuSeconds(server.child.pid!)
    notes.push(`server CPU since its last start: ${cpu.toFixed(1)} s, about ${((cpu * 1000) / Math.max(1, casesTried)).toFixed(1)} ms a case`)
    const expected = writer.plainText()
    const expectedState = Y.encodeStateVector(writer.doc)
    await restart(null)
    const stored = reader.plainText()
    if (stored !== expected) {
      crashes++
      notes.push(`the stored document differs from the writer's after a restart (${stored.length} vs ${expected.length} characters)`)
    }
    const missing = [...Y.decodeStateVector(expectedState)].filter(([client, clock]) => (Y.getState(reader.doc.store, client) ?? 0) < clock)
    if (missing.length > 0) notes.push(`the stored document lacks ${missing.length} of the writer's client ranges`)
    try {
      checkDocument(reader.doc)
    } catch (error) {
      crashes++
      notes.push(`the stored document fails the schema check: ${(error as Error).message}`)
    }
  } finally {
    for (const socket of sockets.values()) {
      retire(socket)
      socket.close()
    }
    writer.destroy()
    reader.destroy()
    server.child.kill('SIGTERM')
    await server.exited
  }

  const db = openDatabase(dataDir)
  const integrity = db.pragma('integrity_check', { simple: true })
  db.close()
  if (integrity !== 'ok') {
    crashes++
    notes.push(`SQLite integrity check: ${String(integrity)}`)
  }
  fs.rmSync(dataDir, { recursive: true, force: true })

  notes.unshift(
    `cases by kind: ${[...kinds].sort().map(([kind, n]) => `${kind} ${n}`).join(', ')}`,
    `sockets closed by the server: ${[...outcomes].sort().map(([code, n]) => `${code} ×${n}`).join(', ') || 'none'}`,
    `writes refused (101): ${[...refusals].sort().map(([code, n]) => `${code} ×${n}`).join(', ') || 'none'}`,
    `slowest well-behaved edit (stored and seen) after a batch: ${slowestServedMs} ms; server peak RSS ${(peakRssKb / 1024).toFixed(0)} MB`,
  )
  return { casesTried, crashes, notes }
}

/** Sends one hostile case on `socket` and names its kind. */
async function throwOne(random: Random, socket: RawCollabSocket, sources: Uint8Array[], writerState: Uint8Array): Promise<string> {
  const pick = () => sources[Math.floor(random() * sources.length)]!
  const roll = random()
  if (roll < 0.4) {
    const { how, bytes } = mutateUpdate(random, pick(), pick())
    socket.sendUpdate(bytes)
    return `update ${how}`
  }
  if (roll < 0.5) {
    const { how, bytes } = mutateUpdate(random, writerState, pick())
    socket.socket.send(syncStep2(bytes))
    return `step 2 ${how}`
  }
  if (roll < 0.6) {
    const { how, bytes } = hostileFrame(random)
    socket.socket.send(bytes)
    return `frame: ${how}`
  }
  if (roll < 0.68) {
    const size = random() < 0.5 ? 200 : 40_000
    socket.socket.send(awarenessFrame(1 + Math.floor(random() * 2 ** 30), JSON.stringify({ cursor: null, junk: 'x'.repeat(size) })))
    return size > 16_000 ? 'awareness: huge state' : 'awareness: ordinary'
  }
  if (roll < 0.72) {
    const entries = Array.from({ length: 20 }, () => ({ clientId: Math.floor(random() * 2 ** 30), clock: 1, stateJson: '{"cursor":null}' }))
    socket.socket.send(awarenessFrameOf(entries))
    return 'awareness: many client ids'
  }
  if (roll < 0.8) {
    // An update whose first half never arrives.
    const doc = new Y.Doc()
    const parts: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => parts.push(update))
    const paragraph = new Y.XmlElement('paragraph')
    doc.getXmlFragment('default').push([paragraph])
    paragraph.insert(0, [new Y.XmlText('orphan')])
    socket.sendUpdate(parts[1]!)
    doc.destroy()
    return 'update with missing dependencies'
  }
  if (roll < 0.85) {
    const { bytes } = mutateUpdate(random, Y.encodeStateVectorFromUpdate(writerState), pick())
    socket.socket.send(syncStep1Frame(bytes))
    return 'step 1 with a damaged state vector'
  }
  if (roll < 0.9) {
    socket.socket.send(random() < 0.5 ? 'text frame' : Buffer.from([0x80, 0x80, 0x80]).toString('latin1'))
    return 'text frame'
  }
  if (roll < 0.93) {
    // A flood of valid little edits: rate-limited, never a denial of service.
    for (const update of realUpdates(random, 400)) socket.sendUpdate(update)
    return 'flood of 400 updates'
  }
  if (roll < 0.96) {
    socket.socket.send(updateFrame(pick()))
    return 'a real update out of order'
  }
  for (let i = 0; i < 20; i++) socket.socket.send(syncStep1Frame())
  return 'repeated requests for the whole document'
}

function syncStep2(update: Uint8Array): Uint8Array {
  const frame = updateFrame(update)
  frame[1] = 1
  return frame
}

/** User and system time the process has used (from /proc, in clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return 0
  }
}

function rssKb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  } catch {
    return 0
  }
}
