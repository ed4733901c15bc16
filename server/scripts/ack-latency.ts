/**
 * How long a keystroke waits for its "Saved": the server runs as its own process in its
 * production configuration; writers type at a steady rate while readers follow along, and each
 * edit's time from keystroke to the covering acknowledgement (message 100) is recorded.
 *
 *   node --import tsx server/scripts/ack-latency.ts [writers] [readers] [seconds] [keysPerSecond]
 */
import net from 'node:net'
import * as Y from 'yjs'
import { createDocument, setUpAdmin } from '../test/support/api.js'
import { CollabClient, waitFor } from '../test/support/collab.js'
import { spawnServer } from '../test/support/process.js'
import { tempDataDir, type TestServer } from '../test/support/server.js'

// Each y-websocket provider adds a process exit listener.
process.setMaxListeners(0)

const [writers = 5, readers = 15, seconds = 10, keysPerSecond = 10] = process.argv.slice(2).map(Number)

const port = await new Promise<number>((resolve) => {
  const probe = net.createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address() as net.AddressInfo
    probe.close(() => resolve(free))
  })
})
const server = await spawnServer(tempDataDir(), port)
const remote = { url: `http://localhost:${port}`, origin: `http://localhost:${port}` } as TestServer
remote.setupUrl = /(http:\/\/localhost:\d+\/setup\?token=\S+)/.exec(server.output())![1]!
const admin = await setUpAdmin(remote, 'bench')
const documentId = (await createDocument(admin, 'Benchmark MOU')).id

const clients = Array.from({ length: writers + readers }, () => new CollabClient(remote, documentId, admin.cookie))
await Promise.all(clients.map((client) => client.synced()))
const typists = clients.slice(0, writers)

const latencies: number[] = []
const pending = new Map<CollabClient, Array<{ clock: number; at: number }>>()
for (const typist of typists) {
  pending.set(typist, [])
  typist.appendParagraph('')
  await waitFor(() => typist.saved, 'the first paragraph')
  const watch = () => {
    const stored = typist.savedVector.get(typist.doc.clientID) ?? 0
    const waiting = pending.get(typist)!
    while (waiting.length > 0 && waiting[0]!.clock <= stored) latencies.push(performance.now() - waiting.shift()!.at)
  }
  // Re-check whenever an acknowledgement lands.
  typist.provider.on('status', watch)
  const original = typist.provider.messageHandlers[100]!
  typist.provider.messageHandlers[100] = (...args) => {
    original(...args)
    watch()
  }
}

const end = performance.now() + seconds * 1000
const timers = typists.map((typist, index) =>
  setInterval(() => {
    if (performance.now() > end) return
    const paragraphs = typist.text.toArray() as Y.XmlElement[]
    const mine = paragraphs[index] ?? paragraphs[0]!
    const text = mine.toArray()[0] as Y.XmlText | undefined
    if (text) text.insert(text.length, 'a')
    else mine.insert(0, [new Y.XmlText('a')])
    pending.get(typist)!.push({ clock: Y.getState(typist.doc.store, typist.doc.clientID), at: performance.now() })
  }, 1000 / keysPerSecond),
)
await new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 1500))
timers.forEach(clearInterval)

latencies.sort((a, b) => a - b)
const quantile = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1)
const unacknowledged = [...pending.values()].reduce((sum, waiting) => sum + waiting.length, 0)
console.log(
  `${writers} writers × ${keysPerSecond} keys/s, ${readers} readers, ${seconds} s: ${latencies.length} edits acknowledged, ` +
    `${unacknowledged} not; keystroke → Saved p50 ${quantile(0.5)} ms, p95 ${quantile(0.95)} ms, p99 ${quantile(0.99)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
)
clients.forEach((client) => client.destroy())
server.child.kill('SIGTERM')
await server.exited
