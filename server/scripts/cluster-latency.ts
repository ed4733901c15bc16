/**
 * Cross-instance delivery on this machine: two instances sharing a SQLite data directory and
 * the Redis at REDIS_URL (default 127.0.0.1:6379); a writer on instance 0, a reader on each
 * instance. Prints how long each edit took to reach each reader (p50/p95/p99).
 * Run from the repository root: npx tsx server/scripts/cluster-latency.ts
 */
import * as Y from 'yjs'
import { addMember, createPerson } from '../test/support/api.js'
import { CollabClient, waitFor } from '../test/support/collab.js'
import { Instances } from '../test/support/instances.js'

const EDITS = Number(process.env.EDITS ?? 300)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function percentiles(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(2)
  return `p50 ${at(50)} ms, p95 ${at(95)} ms, p99 ${at(99)} ms (${samples.length} edits)`
}

const instances = await Instances.start({ count: 2, redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' })
try {
  const { admin, documentId } = await instances.setUp()
  const reader = await createPerson(admin, 'reader', 'community-member')
  await addMember(admin, documentId, 'reader', 'viewer')
  const writer = new CollabClient(instances.get(0), documentId, admin.cookie)
  const readers = [new CollabClient(instances.get(0), documentId, reader.cookie), new CollabClient(instances.get(1), documentId, reader.cookie)]
  await Promise.all([writer, ...readers].map((client) => client.synced()))
  const sentAt = new Map<string, number>()
  const samples: number[][] = [[], []]
  readers.forEach((client, index) =>
    client.doc.on('afterTransaction', () => {
      const last = client.text.get(client.text.length - 1)
      const key = last instanceof Y.XmlElement ? last.toArray().map(String).join('') : ''
      const at = sentAt.get(`${index}:${key}`)
      if (at === undefined) return
      sentAt.delete(`${index}:${key}`)
      samples[index]!.push(performance.now() - at)
    }),
  )
  for (let i = 0; i < EDITS; i++) {
    const key = `edit ${i}`
    sentAt.set(`0:${key}`, performance.now())
    sentAt.set(`1:${key}`, performance.now())
    writer.appendParagraph(key)
    await sleep(20)
  }
  await waitFor(() => samples.every((list) => list.length === EDITS), 'every edit to arrive', 20_000)
  console.log(`same instance:  ${percentiles(samples[0]!)}`)
  console.log(`other instance: ${percentiles(samples[1]!)}`)
  for (const client of [writer, ...readers]) client.destroy()
} finally {
  await instances.stopAll()
}
