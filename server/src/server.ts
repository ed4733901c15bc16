import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Accounts } from './accounts.js'
import { FailureLimiter } from './auth/rateLimit.js'
import { Sessions } from './auth/sessions.js'
import { SetupToken } from './auth/setup.js'
import { Cluster } from './cluster/cluster.js'
import { createAdmit } from './collab/admission.js'
import { Rooms } from './collab/rooms.js'
import { createUpgradeHandler } from './collab/upgrade.js'
import type { Config } from './config.js'
import { ExportRunner } from './export/runner.js'
import { createApp } from './http/app.js'
import type { AppContext } from './http/context.js'
import type { Logger } from './logger.js'
import type { Db } from './persistence/database.js'
import { openStorage, type Storage } from './persistence/storage.js'
import { UpdateLog } from './persistence/updateLog.js'
import { ThreadStreams } from './http/threadStreams.js'
import { DocumentHistory } from './history/history.js'
import { seedStarterLibrary } from './templates/library.js'

const FIFTEEN_MINUTES = 15 * 60 * 1000
/** The longest a request may take to arrive whole (JSON bodies are at most 64 KB). */
const REQUEST_TIMEOUT_MS = 30_000

export interface RunningServer {
  url: string
  /** The first-admin setup link, while the database has no accounts. */
  setupUrl: string | null
  context: AppContext
  /** Every store, over SQLite or PostgreSQL. */
  storage: Storage
  /** The SQLite connection, for tests that inspect the file; throws on PostgreSQL. */
  readonly db: Db
  close(): Promise<void>
}

/** Wires storage, auth, the collaboration socket and the HTTP app together, and listens. */
export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const storage = await openStorage({ dataDir: config.dataDir, postgres: config.postgres })
  const { users, documents, templates } = storage
  await seedStarterLibrary(templates, log)
  await storage.sessions.deleteExpired()
  const sessions = new Sessions(storage.sessions, users)
  const admit = createAdmit(sessions, documents)

  let rooms: Rooms | null = null
  const updateLog = new UpdateLog(storage.updateLog(), {
    onCommitted: (updates) => rooms?.handleCommitted(updates),
    onFailed: (documentIds, error) => {
      log.error('could not store updates; will retry', { documentIds: [...documentIds], error })
      rooms?.handleSaveFailed(documentIds)
    },
  })
  const exports = new ExportRunner()
  const activity = storage.activity((error) => log.warn('could not record joins', { error }))
  const history = new DocumentHistory(storage.versions, activity, users, exports, storage.location, log)
  // Several instances share documents through Redis (cluster/); alone, there is none.
  const cluster = config.cluster ? new Cluster(config.cluster, updateLog, log) : null
  rooms = new Rooms(
    updateLog,
    admit,
    log,
    {
      checkpoint: (documentId, state, editors) =>
        history.save(documentId, state, { name: 'Automatic checkpoint', kind: 'automatic', userId: null }, editors),
      joined: (documentId, userId) => history.activity.recordJoin(documentId, userId),
    },
    cluster,
  )

  const setupToken = new SetupToken()
  const threads = storage.threads
  const threadStreams = new ThreadStreams(sessions, documents, threads, config.limits.socketsPerPerson)
  if (cluster) {
    cluster.attach(rooms, threadStreams)
    threadStreams.relayTo(cluster)
  }
  let closing: Promise<void> | null = null
  const readiness = async () => {
    const checks: Record<string, boolean> = { database: await databaseAnswers(storage), accepting: closing === null }
    if (cluster) checks.redis = cluster.connected
    return { ready: Object.values(checks).every(Boolean), checks }
  }
  const context: AppContext = {
    config,
    log,
    users,
    documents,
    finals: storage.finals,
    exports,
    templates,
    threads,
    threadStreams,
    history,
    sessions,
    accounts: new Accounts(users, sessions),
    rooms,
    setupToken,
    loginLimits: {
      perAccount: new FailureLimiter(config.limits.loginFailuresPerAccount, FIFTEEN_MINUTES),
      // One school network can sit behind a single address: allow a whole meeting's typos.
      perAddress: new FailureLimiter(config.limits.loginFailuresPerAddress, FIFTEEN_MINUTES),
    },
    readiness,
  }

  const { unauthenticatedTimeoutMs, maxHeaderBytes } = config.limits
  const server = http.createServer(
    {
      // A connection that sends no complete request head in time (a socket upgrade included)
      // is answered 408 and closed: nobody holds a connection open without saying who they are.
      headersTimeout: unauthenticatedTimeoutMs,
      requestTimeout: Math.max(REQUEST_TIMEOUT_MS, unauthenticatedTimeoutMs),
      connectionsCheckingInterval: Math.min(1000, Math.ceil(unauthenticatedTimeoutMs / 4)),
      maxHeaderSize: maxHeaderBytes,
    },
    createApp(context),
  )
  const upgrade = createUpgradeHandler({
    allowedOrigin: config.publicOrigin,
    admit,
    rooms,
    log,
    limits: config.limits,
    trustedProxies: config.trustedProxies,
  })
  server.on('upgrade', upgrade.handleUpgrade)

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, resolve)
  })
  const { port } = server.address() as AddressInfo
  const url = config.port === 0 ? `http://localhost:${port}` : config.publicUrl
  const setupUrl = (await users.count()) === 0 ? `${url}/setup?token=${setupToken.issue()}` : null

  const close = () => {
    closing ??= (async () => {
      await rooms.closeAll()
      // After the last commits were relayed.
      await cluster?.close()
      threadStreams.closeAll()
      upgrade.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await history.close()
      await context.exports.close()
      await updateLog.close()
      await storage.close()
    })()
    return closing
  }

  return {
    url,
    setupUrl,
    context,
    storage,
    db: storage.sqlite ?? noSqliteFile(),
    close,
  }
}

/** Stands in for the SQLite connection on PostgreSQL: any use says why there is none. */
function noSqliteFile(): Db {
  return new Proxy({} as Db, {
    get: () => {
      throw new Error('this server stores in PostgreSQL; there is no SQLite file to read')
    },
  })
}

async function databaseAnswers(storage: Storage): Promise<boolean> {
  try {
    await storage.sql.prepare('SELECT 1').get()
    return true
  } catch {
    return false
  }
}
