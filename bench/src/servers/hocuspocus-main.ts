/**
 * Hocuspocus with its defaults: documents live in memory while someone has them open. With
 * REDIS_URL (the scale-out scenario) it runs as one of several instances with its Redis
 * extension, its documented way to scale out, under the prefix REDIS_PREFIX.
 */
import { Redis } from '@hocuspocus/extension-redis'
import { Server } from '@hocuspocus/server'

const host = process.env.HOST ?? '127.0.0.1'
const port = Number(process.env.PORT ?? 1234)
const redisUrl = process.env.REDIS_URL ? new URL(process.env.REDIS_URL) : null

const extensions = redisUrl
  ? [new Redis({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379), prefix: process.env.REDIS_PREFIX ?? 'hocuspocus' })]
  : []
const server = new Server({ port, address: host, quiet: true, extensions })
await server.listen()
console.log(`hocuspocus listening on ${host}:${port}`)
