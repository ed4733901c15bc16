/**
 * Scale-out (issue 10): one deployment as two instances on this machine, the writers on the
 * first and the readers on the second, beside the same load on one instance. Accord runs on
 * PostgreSQL and Redis (a fresh database per run); Hocuspocus with its Redis extension, its
 * documented way to scale out. The y-websocket reference server has no such mode.
 */
import pg from 'pg'
import type { Generator } from '../generator.js'
import type { MetricDef, RunMetrics } from '../metrics.js'
import { waitForQuiet } from '../quiet.js'
import { AccordServer, type Instance } from '../servers/accord.js'
import { PeerServer } from '../servers/peers.js'
import type { ServerOptions } from '../servers/spawn.js'
import type { ServerKind } from '../servers/types.js'
import { checkWindow, seats } from './fanout.js'

export interface ScaleOutParams {
  clients: number
  writers: number
  rate: number
  warmupMs: number
  durationMs: number
  drainMs: number
}

export const SCALE_OUT_KINDS: readonly ServerKind[] = ['accord', 'hocuspocus']

const ADMIN_DATABASE_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'

export function scaleOutMetrics(params: ScaleOutParams): MetricDef[] {
  const what = (instances: number) =>
    instances === 1
      ? `scale-out baseline, one instance (Accord on SQLite), ${params.clients} clients, ${params.writers} writers × ${params.rate}/s`
      : `scale-out, two instances (Accord: PostgreSQL + Redis; Hocuspocus: Redis), writers on one, ${params.clients - params.writers} readers on the other`
  return [1, 2].flatMap((instances): MetricDef[] => [
    { id: `scale.${instances}.p50`, label: `8. ${what(instances)}: latency p50`, unit: 'ms', better: 'lower', digits: 1 },
    { id: `scale.${instances}.p95`, label: `8. ${what(instances)}: latency p95`, unit: 'ms', better: 'lower', digits: 1 },
    { id: `scale.${instances}.p99`, label: `8. ${what(instances)}: latency p99`, unit: 'ms', better: 'lower', digits: 1 },
    { id: `scale.${instances}.cpu`, label: `8. ${what(instances)}: server CPU per delivered edit (all instances)`, unit: 'µs', better: 'lower', digits: 1 },
    ...(instances === 2 ? [{ id: 'scale.2.saved95', label: `8. ${what(2)}: keystroke → Saved p95`, unit: 'ms', better: 'lower', digits: 1, accordOnly: true } satisfies MetricDef] : []),
  ])
}

type Deployment = { first: AccordServer | PeerServer; other: Instance | null; stop(): Promise<void> }

/** A new PostgreSQL database of the run's own; `drop` removes it. */
async function scratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `accord_bench_${process.pid}_${Date.now()}`
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  const url = new URL(ADMIN_DATABASE_URL)
  url.pathname = `/${name}`
  return {
    url: url.href,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await admin.end()
    },
  }
}

async function deploy(kind: ServerKind, instances: number, options: ServerOptions): Promise<Deployment> {
  if (instances === 1) {
    const first = kind === 'accord' ? await AccordServer.start(options) : await PeerServer.start('hocuspocus', options)
    return { first, other: null, stop: () => first.stop() }
  }
  const database = kind === 'accord' ? await scratchDatabase() : null
  let first: AccordServer | PeerServer | null = null
  try {
    first = database
      ? await AccordServer.start(options, { DATABASE_URL: database.url, REDIS_URL })
      : await PeerServer.start('hocuspocus', options, { REDIS_URL, REDIS_PREFIX: `bench-${process.pid}-${Date.now()}` })
    const started = first
    const other = await started.sibling()
    return {
      first: started,
      other,
      stop: async () => {
        await other.stop()
        await started.stop()
        await database?.drop()
      },
    }
  } catch (error) {
    await first?.stop()
    await database?.drop()
    throw error
  }
}

export async function runScaleOutScenario(kind: ServerKind, generator: Generator, params: ScaleOutParams, options: ServerOptions, run: RunMetrics): Promise<void> {
  for (const instances of [1, 2]) {
    if (instances > 1) await waitForQuiet(20_000)
    const deployment = await deploy(kind, instances, options)
    try {
      const [room] = await deployment.first.rooms(1, seats(params.clients, params.writers), `Scale-out ${instances}`)
      const { other } = deployment
      const result = await generator.call('fanout', {
        serverPids: other ? [deployment.first.pid, other.pid] : [deployment.first.pid],
        writers: room!.slice(0, params.writers),
        readers: room!.slice(params.writers).map((endpoint) => (other ? other.reach(endpoint) : endpoint)),
        warmupMs: params.warmupMs,
        durationMs: params.durationMs,
        drainMs: params.drainMs,
        rates: [params.rate],
      })
      const window = result.windows[0]!
      Object.assign(run.values, {
        [`scale.${instances}.p50`]: window.latency.p50,
        [`scale.${instances}.p95`]: window.latency.p95,
        [`scale.${instances}.p99`]: window.latency.p99,
        [`scale.${instances}.cpu`]: window.cpuPerDeliveryUs,
        ...(instances === 2 && window.saved ? { 'scale.2.saved95': window.saved.p95 } : {}),
      })
      run.details[`scale.${instances}`] = { deliveries: window.deliveries, edits: window.edits, serverCpuMs: window.serverCpuMs }
      checkWindow(window, `scale-out with ${instances} instance${instances > 1 ? 's' : ''}`, run)
    } finally {
      await deployment.stop()
    }
  }
}
