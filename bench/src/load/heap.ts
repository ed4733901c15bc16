/**
 * A full garbage collection in the server, then its JS heap and RSS: through the V8 inspector
 * (the server is started with --inspect on loopback for the memory scenario only), so memory
 * per document is not hidden in, or inflated by, garbage the collector has not reached yet.
 */
import WebSocket from 'ws'
import { rssKb } from '../procfs.js'

export interface MemorySample {
  rssKb: number
  /** null when the server has no inspector. */
  heapUsedKb: number | null
}

export async function sampleMemory(pid: number, inspectorUrl: string | null): Promise<MemorySample> {
  if (!inspectorUrl) return { rssKb: rssKb(pid), heapUsedKb: null }
  const ws = new WebSocket(inspectorUrl, { perMessageDeflate: false })
  const pending = new Map<number, (result: Record<string, unknown>) => void>()
  ws.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as { id?: number; result?: Record<string, unknown> }
    if (message.id !== undefined) pending.get(message.id)?.(message.result ?? {})
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  let nextId = 0
  const call = (method: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = ++nextId
      const timer = setTimeout(() => reject(new Error(`inspector: ${method} timed out`)), 30_000)
      pending.set(id, (result) => {
        clearTimeout(timer)
        resolve(result)
      })
      ws.send(JSON.stringify({ id, method }))
    })
  try {
    await call('HeapProfiler.collectGarbage')
    const usage = await call('Runtime.getHeapUsage')
    return { rssKb: rssKb(pid), heapUsedKb: Number(usage.usedSize) / 1024 }
  } finally {
    ws.close()
  }
}
