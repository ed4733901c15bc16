/**
 * The two peers: the y-websocket reference server (room = URL path) and Hocuspocus (room =
 * the name in every frame). Both accept anyone and keep documents in memory only. And the
 * bare relay (room = URL path), fan-out's floor.
 */
import type { Endpoint } from '../load/socket.js'
import type { Instance } from './accord.js'
import { freePort, ServerProcess, type ServerOptions } from './spawn.js'
import type { BenchServer, Seat } from './types.js'

const LAUNCHERS = {
  reference: { script: 'bench/src/servers/reference-main.ts', ready: /reference server listening/ },
  hocuspocus: { script: 'bench/src/servers/hocuspocus-main.ts', ready: /hocuspocus listening/ },
  relay: { script: 'bench/src/servers/relay-main.ts', ready: /relay listening/ },
} as const

type PeerKind = keyof typeof LAUNCHERS

let roomCounter = 0

export class PeerServer implements BenchServer {
  private constructor(
    readonly kind: PeerKind,
    private process: ServerProcess,
    private readonly port: number,
    private readonly options: ServerOptions,
    private readonly env: Record<string, string> = {},
  ) {}

  get pid(): number {
    return this.process.pid
  }

  get inspectorUrl(): string | null {
    return this.process.inspectorUrl
  }

  /** `env` adds to the process's environment (REDIS_URL for Hocuspocus's Redis extension). */
  static async start(kind: PeerKind, options: ServerOptions, env: Record<string, string> = {}): Promise<PeerServer> {
    const port = await freePort()
    return new PeerServer(kind, await PeerServer.spawn(kind, port, options, env), port, options, env)
  }

  private static spawn(kind: PeerKind, port: number, options: ServerOptions, env: Record<string, string>): Promise<ServerProcess> {
    return ServerProcess.start({
      ...LAUNCHERS[kind],
      env: { PORT: String(port), HOST: '127.0.0.1', ...env },
      ...(options.cpuProfileDir ? { cpuProfileDir: options.cpuProfileDir } : {}),
      inspect: options.inspect ?? false,
    })
  }

  async rooms(count: number, seats: readonly Seat[], title: string): Promise<Endpoint[][]> {
    const prefix = `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${++roomCounter}`
    return Array.from({ length: count }, (_, index) => seats.map(() => this.endpoint(`${prefix}-${index + 1}`)))
  }

  /** Another instance with the same environment (Hocuspocus with Redis: the same deployment). */
  async sibling(): Promise<Instance> {
    const port = await freePort()
    const process = await PeerServer.spawn(this.kind, port, this.options, this.env)
    return {
      pid: process.pid,
      reach: (endpoint) => ({ ...endpoint, url: endpoint.url.replace(`:${this.port}/`, `:${port}/`) }),
      stop: () => process.stop(),
    }
  }

  async restart(): Promise<void> {
    await this.process.stop()
    this.process = await PeerServer.spawn(this.kind, this.port, this.options, this.env)
  }

  async stop(): Promise<void> {
    await this.process.stop()
  }

  private endpoint(room: string): Endpoint {
    return this.kind !== 'hocuspocus'
      ? { url: `ws://127.0.0.1:${this.port}/${room}`, headers: {}, format: 'plain', documentName: room }
      : { url: `ws://127.0.0.1:${this.port}/`, headers: {}, format: 'hocuspocus', documentName: room }
  }
}
