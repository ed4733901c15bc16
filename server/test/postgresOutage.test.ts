/**
 * PostgreSQL going away under a running server: "Saved" stops, people are told their edits are
 * not saved, nothing is lost, and saving resumes when it is back. The server reaches PostgreSQL
 * through a TCP relay this test cuts and restores (the shared PostgreSQL itself stays up).
 */
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createDocument, setUpAdmin } from './support/api.js'
import { CollabClient, connectSynced, waitFor } from './support/collab.js'
import { dropSchemas, freshSchema, TEST_DATABASE_URL } from './support/postgres.js'
import { startTestServer, tempDataDir, type TestServer } from './support/server.js'

/** Forwards connections to `target` until cut; restoring listens on the same port again. */
class CuttableRelay {
  private server: net.Server | null = null
  private readonly sockets = new Set<net.Socket>()
  private frozen = false
  port = 0

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    this.server = net.createServer((client) => {
      this.sockets.add(client)
      client.on('close', () => this.sockets.delete(client))
      client.on('error', () => {})
      if (this.frozen) return
      const upstream = net.connect(this.target)
      for (const socket of [client, upstream]) {
        this.sockets.add(socket)
        socket.on('close', () => this.sockets.delete(socket))
        socket.on('error', () => {})
      }
      client.pipe(upstream).pipe(client)
      client.on('close', () => upstream.destroy())
      upstream.on('close', () => client.destroy())
    })
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve))
    this.port = (this.server.address() as net.AddressInfo).port
  }

  /** Nothing gets through any more, and nothing is refused either: packets silently dropped. */
  freeze(): void {
    this.frozen = true
    for (const socket of this.sockets) {
      socket.unpipe()
      socket.pause()
    }
  }

  /** Forwarding again, for new connections (the frozen ones are beyond saving). */
  thaw(): void {
    this.frozen = false
    for (const socket of this.sockets) socket.destroy()
  }

  /** Every open connection dies and new ones are refused, as when the database server stops. */
  async cut(): Promise<void> {
    const server = this.server
    this.server = null
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
    for (const socket of this.sockets) socket.destroy()
    await closed
  }
}

const onPostgres = describe.runIf(TEST_DATABASE_URL !== null)
if (!TEST_DATABASE_URL) describe.skip('PostgreSQL outage: NOT RUN, TEST_DATABASE_URL is not set', () => it('stops and resumes saving', () => {}))

onPostgres('PostgreSQL becoming unreachable', () => {
  const schema = freshSchema()
  let server: TestServer | null = null
  const clients: CollabClient[] = []

  let openRelay: CuttableRelay | null = null

  /** A relay in front of the test database, and the database URL that goes through it. */
  async function relayToPostgres(): Promise<{ relay: CuttableRelay; throughRelay: URL }> {
    const throughRelay = new URL(TEST_DATABASE_URL!)
    const relay = new CuttableRelay({ host: throughRelay.hostname, port: Number(throughRelay.port || 5432) })
    openRelay = relay
    await relay.open()
    throughRelay.port = String(relay.port)
    return { relay, throughRelay }
  }

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy()
    await server?.close()
    await openRelay?.cut()
    openRelay = null
    await dropSchemas(TEST_DATABASE_URL!, [schema])
  })

  it('stops "Saved" and says "Not saved", loses nothing, and resumes saving when it returns', async () => {
    const { relay, throughRelay } = await relayToPostgres()
    const dataDir = tempDataDir()
    server = await startTestServer(dataDir, { DATABASE_URL: throughRelay.href, DATABASE_SCHEMA: schema })
    const owner = await setUpAdmin(server, 'owner')
    const documentId = (await createDocument(owner)).id
    const writer = await connectSynced(server, documentId, owner)
    clients.push(writer)
    writer.appendParagraph('Before the outage')
    await waitFor(() => writer.saved, 'the first write to be stored')

    await relay.cut()
    writer.appendParagraph('Typed while the database was away')
    await waitFor(() => writer.saveFailures.length > 0, 'the save-failed message', 15_000)
    expect(writer.saved).toBe(false)

    await relay.open()
    await waitFor(() => writer.saved, 'the queued write to be stored once the database is back', 15_000)
    writer.appendParagraph('After it came back')
    await waitFor(() => writer.saved, 'a later write to be stored')

    writer.destroy()
    await server.close()
    await relay.cut()
    server = await startTestServer(dataDir, { DATABASE_URL: TEST_DATABASE_URL!, DATABASE_SCHEMA: schema })
    const reader = new CollabClient(server, documentId, owner.cookie)
    clients.push(reader)
    await reader.synced()
    expect(reader.plainText()).toBe('Before the outage\nTyped while the database was away\nAfter it came back')
  }, 60_000)

  it('reports "Not saved" when the database stops answering without refusing, and saves once it answers again', async () => {
    const { relay, throughRelay } = await relayToPostgres()
    server = await startTestServer(tempDataDir(), { DATABASE_URL: throughRelay.href, DATABASE_SCHEMA: schema })
    const owner = await setUpAdmin(server, 'owner')
    const documentId = (await createDocument(owner)).id
    const writer = await connectSynced(server, documentId, owner)
    clients.push(writer)

    relay.freeze()
    writer.appendParagraph('Typed into the silence')
    // The commit times out (query and connection timeouts), then the batch waits for its retry.
    await waitFor(() => writer.saveFailures.length > 0, 'the save-failed message', 40_000)
    expect(writer.saved).toBe(false)
    relay.thaw()
    await waitFor(() => writer.saved, 'the queued write to be stored', 20_000)
  }, 90_000)
})

