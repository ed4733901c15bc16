/**
 * Accord in its production configuration, as `npm start` runs it: its own process, a fresh
 * DATA_DIR, sign-in and roles, SQLite with synchronous=FULL, acknowledgements after commit.
 * Rooms are real documents created over the REST API, with real members.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Endpoint } from '../load/socket.js'
import { inBatches } from '../load/wait.js'
import { addMember, createAccount, createDocument, setUpAdmin, type AccordApi } from './api.js'
import { freePort, ServerProcess, type ServerOptions } from './spawn.js'
import type { BenchServer, Seat } from './types.js'

const READY = /Accord is serving/
/**
 * The load generator is one address and a handful of accounts driving up to a thousand
 * sockets at 120 keystrokes a second: far past what docs/LIMITS.md allows one person or one
 * network. The benchmark measures the work, so it lifts those limits (nothing else changes).
 */
const LOAD_TEST_LIMITS = {
  COLLAB_MESSAGES_PER_SECOND: '100000',
  COLLAB_BYTES_PER_SECOND: String(1024 ** 3),
  COLLAB_SOCKETS_PER_PERSON: '100000',
  COLLAB_SOCKETS_PER_ADDRESS: '100000',
  COLLAB_OUTBOX_BYTES: String(1024 ** 3),
}
const SETUP_LINK = /(http:\/\/localhost:\d+\/setup\?token=\S+)/

export class AccordServer implements BenchServer {
  readonly kind = 'accord' as const
  private readonly accounts = new Map<string, Promise<AccordApi>>()

  private constructor(
    private process: ServerProcess,
    private readonly port: number,
    private readonly dataDir: string,
    private readonly admin: AccordApi,
    private readonly options: ServerOptions,
    private readonly env: Record<string, string>,
  ) {}

  get pid(): number {
    return this.process.pid
  }

  get inspectorUrl(): string | null {
    return this.process.inspectorUrl
  }

  private get origin(): string {
    return `http://localhost:${this.port}`
  }

  /** `env` adds to the process's environment: DATABASE_URL and REDIS_URL for the scale-out mode. */
  static async start(options: ServerOptions, env: Record<string, string> = {}): Promise<AccordServer> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-bench-'))
    const port = await freePort()
    // A new installation prints its one-time setup link just after the ready line.
    const process = await AccordServer.spawn(port, dataDir, options, env, SETUP_LINK)
    const setupUrl = SETUP_LINK.exec(process.output())?.[1]
    if (!setupUrl) throw new Error(`Accord printed no setup link:\n${process.output()}`)
    const admin = await setUpAdmin(`http://127.0.0.1:${port}`, setupUrl)
    return new AccordServer(process, port, dataDir, admin, options, env)
  }

  private static spawn(port: number, dataDir: string, options: ServerOptions, env: Record<string, string>, ready = READY): Promise<ServerProcess> {
    return ServerProcess.start({
      script: 'server/src/main.ts',
      env: { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...LOAD_TEST_LIMITS, ...env },
      ready,
      ...(options.cpuProfileDir ? { cpuProfileDir: options.cpuProfileDir } : {}),
      inspect: options.inspect ?? false,
      nodeArgs: process.env.BENCH_ACCORD_NODE_FLAGS?.split(' ').filter(Boolean) ?? [],
    })
  }

  async rooms(count: number, seats: readonly Seat[], title: string): Promise<Endpoint[][]> {
    const people = await Promise.all(seats.map((seat) => this.person(seat)))
    const members = new Map<string, Seat['role']>()
    seats.forEach((seat) => {
      if (seat.role !== 'owner') members.set(username(seat), seat.role)
    })
    return inBatches(count, 8, async (index) => {
      const documentId = await createDocument(this.admin, `${title} ${index + 1}`)
      for (const [name, role] of members) await addMember(this.admin, documentId, name, role)
      return people.map((person) => this.endpoint(documentId, person))
    })
  }

  /** Downloads the document as a clerk would (scenario 6); fails unless the server answers 200. */
  async exportDocument(documentId: string, format: 'docx' | 'pdf' | 'txt'): Promise<number> {
    const response = await fetch(`http://127.0.0.1:${this.port}/api/documents/${documentId}/export?format=${format}`, {
      headers: { cookie: this.admin.cookie! },
    })
    const bytes = (await response.arrayBuffer()).byteLength
    if (response.status !== 200) throw new Error(`export ${format}: ${response.status}`)
    return bytes
  }

  /** Where a browser finds the product, and the owner's session cookie for it. */
  browserSession(): { origin: string; cookie: { name: string; value: string } } {
    const [name, value] = this.admin.cookie!.split('=') as [string, string]
    return { origin: this.origin, cookie: { name, value } }
  }

  async restart(): Promise<void> {
    await this.process.stop()
    this.process = await AccordServer.spawn(this.port, this.dataDir, this.options, this.env)
  }

  /** Another instance of the same deployment (its DATABASE_URL and REDIS_URL), on its own port. */
  async sibling(): Promise<Instance> {
    const port = await freePort()
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-bench-'))
    const process = await AccordServer.spawn(port, dataDir, this.options, this.env)
    return {
      pid: process.pid,
      reach: (endpoint) => ({
        ...endpoint,
        url: endpoint.url.replace(`:${this.port}/`, `:${port}/`),
        headers: { ...endpoint.headers, origin: `http://localhost:${port}` },
      }),
      stop: async () => {
        await process.stop()
        fs.rmSync(dataDir, { recursive: true, force: true })
      },
    }
  }

  async stop(): Promise<void> {
    await this.process.stop()
    fs.rmSync(this.dataDir, { recursive: true, force: true })
  }

  /** One account per seat name, created (and signed in) the first time it is needed. */
  private person(seat: Seat): Promise<AccordApi> {
    if (seat.role === 'owner') return Promise.resolve(this.admin)
    const name = username(seat)
    let person = this.accounts.get(name)
    if (!person) {
      person = createAccount(this.admin, name)
      this.accounts.set(name, person)
    }
    return person
  }

  private endpoint(documentId: string, person: AccordApi): Endpoint {
    return {
      url: `ws://127.0.0.1:${this.port}/collab/${documentId}`,
      headers: { cookie: person.cookie!, origin: this.origin },
      format: 'plain',
      documentName: documentId,
    }
  }
}

/** A further instance of a deployment: `reach` turns an endpoint of the first into the same one through this. */
export interface Instance {
  pid: number
  reach(endpoint: Endpoint): Endpoint
  stop(): Promise<void>
}

const username = (seat: Seat) => `${seat.role}${seat.account}`
