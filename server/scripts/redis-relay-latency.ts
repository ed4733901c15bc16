/**
 * Pub/sub against streams for relaying updates between instances: the delivery latency of a
 * 200-byte message from one connection to another through the Redis at REDIS_URL (default
 * 127.0.0.1:6379). Run: npx tsx server/scripts/redis-relay-latency.ts
 * The figures in docs/INTERNALS.md ("Several instances") come from this.
 */
import { Redis } from 'ioredis'

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const MESSAGES = 3000
const payload = Buffer.alloc(200, 7)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function percentiles(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(3)
  return `p50 ${at(50)} ms, p95 ${at(95)} ms, p99 ${at(99)} ms (${samples.length} messages)`
}

function stamped(): Buffer {
  const message = Buffer.from(payload)
  message.writeDoubleLE(performance.now(), 0)
  return message
}

async function pubsub(): Promise<number[]> {
  const publisher = new Redis(url)
  const subscriber = new Redis(url)
  const channel = `latency-test:${process.pid}`
  const samples: number[] = []
  subscriber.on('messageBuffer', (_channel: Buffer, message: Buffer) => samples.push(performance.now() - message.readDoubleLE(0)))
  await subscriber.subscribe(channel)
  for (let i = 0; i < MESSAGES; i++) {
    await publisher.publish(channel, stamped())
    if (i % 10 === 0) await sleep(1)
  }
  await sleep(200)
  await Promise.all([publisher.quit(), subscriber.quit()])
  return samples
}

async function streams(): Promise<number[]> {
  const writer = new Redis(url)
  const reader = new Redis(url)
  const key = `latency-test-stream:${process.pid}`
  const samples: number[] = []
  let done = false
  const reading = (async () => {
    let last = '$'
    while (!done) {
      const reply = (await reader.xreadBuffer('BLOCK', 100, 'STREAMS', key, last)) as [Buffer, [Buffer, Buffer[]][]][] | null
      if (!reply) continue
      for (const [, entries] of reply) {
        for (const [id, fields] of entries) {
          samples.push(performance.now() - fields[1]!.readDoubleLE(0))
          last = id.toString()
        }
      }
    }
  })()
  await sleep(50)
  for (let i = 0; i < MESSAGES; i++) {
    await writer.xadd(key, 'MAXLEN', '~', '1000', '*', 'u', stamped())
    if (i % 10 === 0) await sleep(1)
  }
  await sleep(300)
  done = true
  await reading
  await writer.del(key)
  await Promise.all([writer.quit(), reader.quit()])
  return samples
}

console.log(`pub/sub: ${percentiles(await pubsub())}`)
console.log(`streams (XADD + XREAD BLOCK): ${percentiles(await streams())}`)
