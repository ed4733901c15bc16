import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError, loadConfig } from './config.js'
import { createLogger } from './logger.js'
import { DatabaseUnavailable, describeLocation } from './persistence/postgres.js'
import { startServer } from './server.js'

const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../client/dist')

try {
  const config = loadConfig(process.env, clientDir)
  const log = createLogger(config.logLevel)
  const server = await startServer(config, log)
  const dataIn = config.postgres ? `PostgreSQL at ${describeLocation(config.postgres)}` : config.dataDir
  log.info(`Accord is serving ${server.url} (data in ${dataIn})`)
  if (server.setupUrl) {
    process.stdout.write(
      `\n  First start: open this one-time link to create the first admin account:\n\n    ${server.setupUrl}\n\n`,
    )
  }
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    log.info(`${signal} received: saving and closing connections`)
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('shutdown failed', { error })
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`)
    process.exit(78)
  }
  if (error instanceof DatabaseUnavailable) {
    process.stderr.write(`${error.message}\n`)
    process.exit(1)
  }
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    process.stderr.write('Accord cannot start: the port is already in use. Set PORT to a free port.\n')
    process.exit(1)
  }
  throw error
}
