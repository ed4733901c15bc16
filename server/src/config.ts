import path from 'node:path'
import { z } from 'zod'

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'PUBLIC_URL must be an http:// or https:// URL.' }).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
})

export interface Config {
  port: number
  host: string
  dataDir: string
  /** The origin browsers must come from, e.g. `http://localhost:3000`. */
  publicOrigin: string
  publicUrl: string
  /** Cookies get the Secure flag when the product is served over https. */
  secureCookies: boolean
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent'
  /** Where the built client lives; absent in tests that only need the API. */
  clientDir: string | null
}

export class ConfigError extends Error {}

/** The only reader of `process.env`: validated once, at boot, with messages a person can act on. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, clientDir: string | null = null): Config {
  const parsed = environmentSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
    throw new ConfigError(`Accord cannot start; fix these environment variables:\n${problems.join('\n')}`)
  }
  const { PORT, HOST, DATA_DIR, PUBLIC_URL, LOG_LEVEL } = parsed.data
  const publicUrl = new URL(PUBLIC_URL ?? `http://localhost:${PORT}`)
  return {
    port: PORT,
    host: HOST,
    dataDir: path.resolve(DATA_DIR),
    publicOrigin: publicUrl.origin,
    publicUrl: publicUrl.href.replace(/\/$/, ''),
    secureCookies: publicUrl.protocol === 'https:',
    logLevel: LOG_LEVEL,
    clientDir,
  }
}
