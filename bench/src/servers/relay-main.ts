/**
 * A bare byte relay: the floor of fan-out cost, not a peer. Room = URL path; every frame a
 * client sends goes, as received, to every other socket in its room (`ws` sends the same
 * buffer to each); a sync step 1 is answered with an empty step 2 so clients count as synced.
 * No Yjs, no document, no awareness state, no storage, no authentication: it measures what
 * reading a frame and writing it to N sockets costs on this machine (fan-out only).
 */
import http from 'node:http'
import { WebSocketServer, type WebSocket } from 'ws'

const host = process.env.HOST ?? '127.0.0.1'
const port = Number(process.env.PORT ?? 1234)
/** messageSync, syncStep2, an update of two bytes: no structs, no deletions. */
const EMPTY_SYNC_STEP_2 = Buffer.from([0, 1, 2, 0, 0])

const rooms = new Map<string, Set<WebSocket>>()
const wss = new WebSocketServer({ noServer: true })
const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' })
  response.end('okay')
})

wss.on('connection', (socket: WebSocket, request: http.IncomingMessage) => {
  const name = request.url ?? '/'
  let room = rooms.get(name)
  if (!room) rooms.set(name, (room = new Set()))
  room.add(socket)
  socket.on('message', (data: Buffer) => {
    if (data[0] === 0 && data[1] === 0) {
      socket.send(EMPTY_SYNC_STEP_2)
      return
    }
    for (const other of room) if (other !== socket) other.send(data)
  })
  socket.on('close', () => {
    room.delete(socket)
    if (room.size === 0) rooms.delete(name)
  })
})
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request))
})
server.listen(port, host, () => console.log(`relay listening on ${host}:${port}`))
process.on('SIGTERM', () => process.exit(0))
process.on('SIGINT', () => process.exit(0))
