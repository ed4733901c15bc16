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
import { openDatabase, type Db } from './persistence/database.js'
import { DocumentStore } from './persistence/documents.js'
import { FinalStore } from './persistence/finals.js'
import { SessionStore } from './persistence/sessions.js'
import { UpdateLog } from './persistence/updateLog.js'
import { TemplateStore } from './persistence/templates.js'
import { ThreadStore } from './persistence/threads.js'
import { ThreadStreams } from './http/threadStreams.js'
import { UserStore } from './persistence/users.js'
import { DocumentHistory } from './history/history.js'
import { ActivityStore } from './persistence/activity.js'
import { VersionStore } from './persistence/versions.js'
import { seedStarterLibrary } from './templates/library.js'

const FIFTEEN_MINUTES = 15 * 60 * 1000
/** The longest a request may take to arrive whole (JSON bodies are at most 64 KB). */
const REQUEST_TIMEOUT_MS = 30_000

export interface RunningServer {
  url: string
  /** The first-admin setup link, while the database has no accounts. */
  setupUrl: string | null
  context: AppContext
  /** The open database, for the CLI-style tools and tests that inspect storage. */
  db: Db
  close(): Promise<void>
}

/** Wires storage, auth, the collaboration socket and the HTTP app together, and listens. */
export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const db = openDatabase(config.dataDir)
  const users = new UserStore(db)
  const documents = new DocumentStore(db)
  const templates = new TemplateStore(db)
  seedStarterLibrary(templates, log)
  const sessionStore = new SessionStore(db)
  sessionStore.deleteExpired()
  const sessions = new Sessions(sessionStore, users)
  const admit = createAdmit(sessions, documents)

  let rooms: Rooms | null = null
  const updateLog = new UpdateLog(db, {
    onCommitted: (updates) => rooms?.handleCommitted(updates),
    onFailed: (documentIds, error) => {
      log.error('could not store updates; will retry', { documentIds: [...documentIds], error })
      rooms?.handleSaveFailed(documentIds)
    },
  })
  const exports = new ExportRunner()
  const activity = new ActivityStore(db, (error) => log.warn('could not record joins', { error }))
  const history = new DocumentHistory(new VersionStore(db), activity, users, exports, db.name, log)
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
  const threads = new ThreadStore(db)
  const threadStreams = new ThreadStreams(sessions, documents, threads, config.limits.socketsPerPerson)
  if (cluster) {
    cluster.attach(rooms, threadStreams)
    threadStreams.relayTo(cluster)
  }
  let closing: Promise<void> | null = null
  const readiness = async () => {
    const checks: Record<string, boolean> = { database: databaseAnswers(db), accepting: closing === null }
    if (cluster) checks.redis = cluster.connected
    return { ready: Object.values(checks).every(Boolean), checks }
  }
  const context: AppContext = {
    config,
    log,
    users,
    documents,
    finals: new FinalStore(db),
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
  const setupUrl = users.count() === 0 ? `${url}/setup?token=${setupToken.issue()}` : null

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
      db.close()
    })()
    return closing
  }

  return { url, setupUrl, context, db, close }
}

function databaseAnswers(db: Db): boolean {
  try {
    db.prepare('SELECT 1').get()
    return true
  } catch {
    return false
  }
}
