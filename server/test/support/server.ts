import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadConfig } from '../../src/config.js'
import { createLogger, type Logger } from '../../src/logger.js'
import { startServer, type RunningServer } from '../../src/server.js'
import { requireTestDatabaseUrl, schemaForDataDir, SERVER_TESTS_ON_POSTGRES } from './postgres.js'

/** Where a server answers, and the origin its pages have: all a client needs (in-process or not). */
export interface ServerAddress {
  url: string
  origin: string
  /** The first-admin link, while the database has no accounts. */
  setupUrl: string | null
}

export interface TestServer extends RunningServer {
  dataDir: string
  origin: string
}

/** A new directory inside this run's own (globalSetup.ts removes it, and all in it, at the end). */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(process.env.ACCORD_TEST_TMP ?? os.tmpdir(), prefix))
}

export function tempDataDir(): string {
  return tempDir('accord-test-')
}

/**
 * A real server on a random port with its own SQLite file (or, with TEST_STORE=postgres, its own
 * schema in TEST_DATABASE_URL, named after `dataDir` so a restart finds it). `env` sets more of
 * its configuration (e.g. smaller limits) as the environment would.
 */
export async function startTestServer(
  dataDir = tempDataDir(),
  env: Record<string, string> = {},
  log: Logger = createLogger('silent'),
): Promise<TestServer> {
  const postgres = SERVER_TESTS_ON_POSTGRES ? { DATABASE_URL: requireTestDatabaseUrl(), DATABASE_SCHEMA: schemaForDataDir(dataDir) } : {}
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...postgres, ...env })
  const server = await startServer(config, log)
  // PUBLIC_URL defaults to http://localhost:<PORT>; with PORT=0 the allowed origin is the configured one.
  return { ...server, dataDir, origin: config.publicOrigin }
}
