/** Hocuspocus with its defaults and no extensions: documents live in memory while someone has them open. */
import { Server } from '@hocuspocus/server'

const host = process.env.HOST ?? '127.0.0.1'
const port = Number(process.env.PORT ?? 1234)

const server = new Server({ port, address: host, quiet: true })
await server.listen()
console.log(`hocuspocus listening on ${host}:${port}`)
