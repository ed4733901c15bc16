/**
 * The load generator's process: the orchestrator forks it once per server run and calls the
 * methods below over IPC; each answer goes back as a message. It talks to the server only
 * over loopback sockets.
 */
import { startCarets, startTypist, stopCarets, type CaretsTask, type TypistTask } from './carets.js'
import { runChurn, type ChurnTask } from './churn.js'
import { runFanout, type FanoutTask } from './fanout.js'
import { HistoryBuilder, type HistoryTask } from './history.js'
import { join, storm, type Expected } from './join.js'
import { runManyDocs, type ManyDocsTask } from './manyDocs.js'
import type { Endpoint } from './socket.js'

// Many sockets, one listener each on shared emitters in ws.
process.setMaxListeners(0)

let history: HistoryBuilder | null = null

const methods = {
  fanout: (task: FanoutTask) => runFanout(task),
  manyDocs: (task: ManyDocsTask) => runManyDocs(task),
  churn: (task: ChurnTask) => runChurn(task),
  buildHistory: async (task: HistoryTask) => {
    history?.closeAll()
    history = new HistoryBuilder(task)
    return history.build()
  },
  /** Keeps the first `keep` authors connected (a document Hocuspocus would otherwise forget). */
  releaseAuthors: async ({ keep }: { keep: number }) => {
    history?.release(keep)
    return null
  },
  join: ({ endpoint, expected, check }: { endpoint: Endpoint; expected: Expected; check: boolean }) => join(endpoint, expected, check),
  storm: ({ endpoints, expected }: { endpoints: Endpoint[]; expected: Expected }) => storm(endpoints, expected),
  startCarets: (task: CaretsTask) => startCarets(task),
  startTypist: (task: TypistTask) => startTypist(task),
  closeAll: async () => {
    stopCarets()
    history?.closeAll()
    history = null
    return null
  },
} satisfies Record<string, (params: never) => Promise<unknown>>

export type GeneratorMethods = typeof methods

interface Request {
  id: number
  method: keyof GeneratorMethods
  params: unknown
}

process.on('message', (message: Request) => {
  const method = methods[message.method] as (params: unknown) => Promise<unknown>
  method(message.params).then(
    (result) => process.send!({ id: message.id, result }),
    (error: unknown) => process.send!({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  )
})
process.on('disconnect', () => process.exit(0))
process.send!({ ready: true })
