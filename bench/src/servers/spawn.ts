/** Starts a server as its own process on loopback, waits until it says it is listening, and stops it. */
import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const SERVERS_DIR = path.dirname(fileURLToPath(import.meta.url))

export interface SpawnOptions {
  /** Script path relative to the repository root, run as `node --import tsx <script>`. */
  script: string
  env: Record<string, string>
  ready: RegExp
  /** When set, the server writes a V8 CPU profile into this folder when it exits. */
  cpuProfileDir?: string
  /** Opens the V8 inspector on a loopback port (the memory scenario forces a GC through it). */
  inspect?: boolean
  /** More node or V8 flags, for experiments only (see BENCH_ACCORD_NODE_FLAGS in the README). */
  nodeArgs?: readonly string[]
}

export interface ServerOptions {
  cpuProfileDir?: string | undefined
  inspect?: boolean | undefined
}

const INSPECTOR_URL = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/\S+)/

export class ServerProcess {
  private text = ''
  readonly exited: Promise<number | null>

  private constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => this.append(chunk))
    child.stderr!.on('data', (chunk: Buffer) => this.append(chunk))
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)))
  }

  get pid(): number {
    return this.child.pid!
  }

  /** The V8 inspector's WebSocket URL, when started with `inspect`. */
  get inspectorUrl(): string | null {
    return INSPECTOR_URL.exec(this.text)?.[1] ?? null
  }

  /** What the server printed (the last 64 KiB). */
  output(): string {
    return this.text
  }

  static async start(options: SpawnOptions): Promise<ServerProcess> {
    const profile = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : []
    if (options.inspect) profile.push('--inspect=127.0.0.1:0')
    // node itself with tsx as a loader, as `npm start` runs Accord: no wrapper process in between.
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...profile, '--import', 'tsx', options.script], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const server = new ServerProcess(child)
    const deadline = Date.now() + 30_000
    while (!options.ready.test(server.text)) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL')
        throw new Error(`${options.script} did not start:\n${server.text}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    return server
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000)
    await this.exited
    clearTimeout(timer)
  }

  private append(chunk: Buffer): void {
    // The head is kept: it holds the inspector URL and the setup link.
    this.text = this.text.length < 65_536 ? this.text + chunk.toString() : this.text
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}
