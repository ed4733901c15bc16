import type { Config } from './config.js'

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const
type Level = Exclude<keyof typeof LEVELS, 'silent'>

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

/** One line per event, human-readable, with the fields that let you find the document or person. */
export function createLogger(level: Config['logLevel']): Logger {
  const threshold = LEVELS[level]
  const write = (at: Level) => (message: string, fields?: Record<string, unknown>) => {
    if (LEVELS[at] < threshold) return
    const suffix = fields
      ? ' ' +
        Object.entries(fields)
          .map(([key, value]) => `${key}=${value instanceof Error ? value.message : JSON.stringify(value)}`)
          .join(' ')
      : ''
    const line = `${new Date().toISOString()} ${at.toUpperCase().padEnd(5)} ${message}${suffix}\n`
    ;(at === 'error' || at === 'warn' ? process.stderr : process.stdout).write(line)
  }
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') }
}
