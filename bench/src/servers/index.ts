import { AccordServer } from './accord.js'
import { PeerServer } from './peers.js'
import type { ServerOptions } from './spawn.js'
import type { BenchServer, ServerKind } from './types.js'

export function startServer(kind: ServerKind, options: ServerOptions): Promise<BenchServer> {
  return kind === 'accord' ? AccordServer.start(options) : PeerServer.start(kind, options)
}
