import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createDocument, setUpAdmin } from './api.js'
import { waitFor } from './collab.js'
import { requireTestDatabaseUrl, schemaForDataDir, SERVER_TESTS_ON_POSTGRES } from './postgres.js'
import { tempDataDir, type TestServer } from './server.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

export interface ServerProcess {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

/**
 * The server as `npm start` runs it, in its own process, so a test can kill it for real.
 * `env` adds to its environment (e.g. REDIS_URL for an instance of several).
 */
export async function spawnServer(dataDir: string, port: number, env: Record<string, string> = {}): Promise<ServerProcess> {
  // node itself, with tsx as a loader: a tsx wrapper process would survive its child's SIGKILL.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...postgresEnv(dataDir), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const deadline = Date.now() + 20_000
  while (!output.includes('Accord is serving')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return { child, output: () => output, exited }
}

/** The server in its own process with a first admin and one document, for tests that kill it. */
export async function startAccordProcess() {
  const dataDir = tempDataDir()
  const port = await freePort()
  const child = await spawnServer(dataDir, port)
  const remote = { url: `http://localhost:${port}`, origin: `http://localhost:${port}` } as TestServer
  // The link is printed just after the "serving" line, possibly in a later chunk.
  await waitFor(() => /\/setup\?token=\S+\n/.test(child.output()), 'the setup link')
  remote.setupUrl = /(http:\/\/localhost:\d+\/setup\?token=\S+)/.exec(child.output())![1]!
  const admin = await setUpAdmin(remote, 'owner')
  const documentId = (await createDocument(admin)).id
  return { dataDir, port, remote, admin, documentId, child }
}

/** A port nobody listens on now, for a server started in its own process. */
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

/** With TEST_STORE=postgres, the server process keeps its data in its own schema of TEST_DATABASE_URL. */
function postgresEnv(dataDir: string): NodeJS.ProcessEnv {
  return SERVER_TESTS_ON_POSTGRES ? { DATABASE_URL: requireTestDatabaseUrl(), DATABASE_SCHEMA: schemaForDataDir(dataDir) } : {}
}
