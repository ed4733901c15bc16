import type { Accounts } from '../accounts.js'
import type { FailureLimiter } from '../auth/rateLimit.js'
import type { Sessions } from '../auth/sessions.js'
import type { SetupToken } from '../auth/setup.js'
import type { Rooms } from '../collab/rooms.js'
import type { Config } from '../config.js'
import type { DocumentHistory } from '../history/history.js'
import type { ExportRunner } from '../export/runner.js'
import type { Logger } from '../logger.js'
import type { DocumentStore } from '../persistence/documents.js'
import type { FinalStore } from '../persistence/finals.js'
import type { TemplateStore } from '../persistence/templates.js'
import type { ThreadStore } from '../persistence/threads.js'
import type { UserStore } from '../persistence/users.js'
import type { ThreadStreams } from './threadStreams.js'
import type { Readiness } from './routes/health.js'

/** Everything the routes need, built once in `createServer`. */
export interface AppContext {
  config: Config
  log: Logger
  users: UserStore
  documents: DocumentStore
  finals: FinalStore
  exports: ExportRunner
  templates: TemplateStore
  threads: ThreadStore
  threadStreams: ThreadStreams
  history: DocumentHistory
  sessions: Sessions
  accounts: Accounts
  rooms: Rooms
  setupToken: SetupToken
  loginLimits: { perAccount: FailureLimiter; perAddress: FailureLimiter }
  /** For `GET /readyz`: whether the database (and Redis, when configured) answer. */
  readiness: () => Promise<Readiness>
}
