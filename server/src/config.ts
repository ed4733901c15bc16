import path from 'node:path'
import { MAX_MESSAGE_BYTES, MAX_UPDATE_BYTES } from '@accord/shared'
import { z } from 'zod'
import { normalized } from './http/clientAddress.js'

const count = (fallback: number, min = 1) => z.coerce.number().int().min(min).default(fallback)

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'PUBLIC_URL must be an http:// or https:// URL.' }).optional(),
  // PostgreSQL instead of the SQLite file in DATA_DIR (several instances share one database).
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// (or postgresql://) URL.')
    .optional(),
  /** A schema inside that database for Accord's tables (created if missing); the default search path otherwise. */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'DATABASE_SCHEMA must be a plain identifier (letters, digits, _).')
    .optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  // Several instances of one deployment share documents through Redis (docs/DEPLOY.md); unset: one process.
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'REDIS_URL must be a redis:// or rediss:// URL.' }).optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'REDIS_PREFIX may hold letters, digits and : _ . - (at most 64).')
    .default('accord:'),
  CLUSTER_RECONCILE_MS: count(15_000, 100),
  // Reverse proxies whose X-Forwarded-For names the client (docs/DEPLOY.md): comma-separated addresses.
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((list) => list.split(',').map((entry) => entry.trim()).filter((entry) => entry !== ''))
    .pipe(z.array(z.union([z.ipv4(), z.ipv6()], { error: 'TRUSTED_PROXIES must list IP addresses, separated by commas.' }))),
  // Limits (docs/LIMITS.md): sized so 200 people behind one school address are never refused.
  COLLAB_MAX_MESSAGE_BYTES: count(MAX_MESSAGE_BYTES, MAX_UPDATE_BYTES + 1024),
  COLLAB_MESSAGES_PER_SECOND: count(100),
  COLLAB_BYTES_PER_SECOND: count(1024 * 1024, 1024),
  COLLAB_MAX_AWARENESS_BYTES: count(16 * 1024, 1024),
  COLLAB_OUTBOX_BYTES: count(16 * 1024 * 1024, 64 * 1024),
  COLLAB_SOCKETS_PER_PERSON: count(30),
  COLLAB_SOCKETS_PER_ADDRESS: count(1000),
  UNAUTHENTICATED_TIMEOUT_MS: count(10_000, 100),
  MAX_HEADER_BYTES: count(16 * 1024, 1024),
  LOGIN_FAILURES_PER_ACCOUNT: count(10),
  LOGIN_FAILURES_PER_ADDRESS: count(300),
})

export interface Config {
  port: number
  host: string
  dataDir: string
  /** PostgreSQL (DATABASE_URL, DATABASE_SCHEMA); null for the embedded SQLite file in `dataDir`. */
  postgres: { url: string; schema?: string | undefined } | null
  /** The origin browsers must come from, e.g. `http://localhost:3000`. */
  publicOrigin: string
  publicUrl: string
  /** Cookies get the Secure flag when the product is served over https. */
  secureCookies: boolean
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent'
  /** Where the built client lives; absent in tests that only need the API. */
  clientDir: string | null
  limits: Limits
  /** Peers whose X-Forwarded-For is believed for per-address limits (the site's reverse proxies). */
  trustedProxies: ReadonlySet<string>
  /** Set when several instances share documents through Redis; null for one process alone. */
  cluster: ClusterConfig | null
}

export interface ClusterConfig {
  redisUrl: string
  /** Starts every channel name, so deployments (or test runs) sharing one Redis stay apart. */
  prefix: string
  /** How often each open document is checked against the database for updates the relay missed. */
  reconcileMs: number
}

/** What one client may cost the server before it is refused (docs/LIMITS.md). */
export interface Limits {
  /** The largest collaboration frame; larger ones close the socket (1009). */
  maxMessageBytes: number
  /** Sustained messages per second per socket; a burst of three seconds' worth is allowed. */
  messagesPerSecond: number
  /** Sustained bytes per second per socket; a burst of two largest frames is allowed. */
  bytesPerSecond: number
  /** The largest awareness state (a caret and a name) one client may publish. */
  maxAwarenessBytes: number
  /** What may wait unsent for one socket before it counts as not reading. */
  outboxBytes: number
  socketsPerPerson: number
  socketsPerAddress: number
  /** How long a connection may take to send its request headers (an upgrade included). */
  unauthenticatedTimeoutMs: number
  /** The largest request head (request line and headers) read before a session is known. */
  maxHeaderBytes: number
  loginFailuresPerAccount: number
  loginFailuresPerAddress: number
}

export class ConfigError extends Error {}

/** The only reader of `process.env`: validated once, at boot, with messages a person can act on. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, clientDir: string | null = null): Config {
  const parsed = environmentSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
    throw new ConfigError(`Accord cannot start; fix these environment variables:\n${problems.join('\n')}`)
  }
  const values = parsed.data
  const { PORT, HOST, DATA_DIR, PUBLIC_URL, LOG_LEVEL } = values
  const publicUrl = new URL(PUBLIC_URL ?? `http://localhost:${PORT}`)
  return {
    port: PORT,
    host: HOST,
    dataDir: path.resolve(DATA_DIR),
    postgres: values.DATABASE_URL ? { url: values.DATABASE_URL, schema: values.DATABASE_SCHEMA } : null,
    publicOrigin: publicUrl.origin,
    publicUrl: publicUrl.href.replace(/\/$/, ''),
    secureCookies: publicUrl.protocol === 'https:',
    logLevel: LOG_LEVEL,
    clientDir,
    trustedProxies: new Set(values.TRUSTED_PROXIES.map(normalized)),
    cluster: values.REDIS_URL ? { redisUrl: values.REDIS_URL, prefix: values.REDIS_PREFIX, reconcileMs: values.CLUSTER_RECONCILE_MS } : null,
    limits: {
      maxMessageBytes: values.COLLAB_MAX_MESSAGE_BYTES,
      messagesPerSecond: values.COLLAB_MESSAGES_PER_SECOND,
      bytesPerSecond: values.COLLAB_BYTES_PER_SECOND,
      maxAwarenessBytes: values.COLLAB_MAX_AWARENESS_BYTES,
      outboxBytes: values.COLLAB_OUTBOX_BYTES,
      socketsPerPerson: values.COLLAB_SOCKETS_PER_PERSON,
      socketsPerAddress: values.COLLAB_SOCKETS_PER_ADDRESS,
      unauthenticatedTimeoutMs: values.UNAUTHENTICATED_TIMEOUT_MS,
      maxHeaderBytes: values.MAX_HEADER_BYTES,
      loginFailuresPerAccount: values.LOGIN_FAILURES_PER_ACCOUNT,
      loginFailuresPerAddress: values.LOGIN_FAILURES_PER_ADDRESS,
    },
  }
}
