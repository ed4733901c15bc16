import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { CloseCode } from '@accord/shared'
import { WebSocketServer } from 'ws'
import { readCookie, SESSION_COOKIE } from '../auth/cookies.js'
import { isCrossSite } from '../auth/crossSite.js'
import type { Limits } from '../config.js'
import type { Logger } from '../logger.js'
import type { Admit } from './admission.js'
import { Connection } from './connection.js'
import type { Rooms } from './rooms.js'
import { SocketQuota } from './socketQuota.js'
import { clientAddress } from '../http/clientAddress.js'

export const COLLAB_PATH = /^\/collab\/([^/?#]*)$/

export interface UpgradeOptions {
  allowedOrigin: string
  admit: Admit
  rooms: Rooms
  log: Logger
  limits: Limits
  /** Reverse proxies whose X-Forwarded-For names the client (per-address limits). */
  trustedProxies?: ReadonlySet<string>
}

/**
 * Admits collaboration sockets. A foreign Origin is refused at the HTTP upgrade (cross-site
 * WebSocket hijacking); everything else is refused right after the upgrade with a close code
 * the client can explain to the person, and before any document is loaded.
 */
export function createUpgradeHandler({ allowedOrigin, admit, rooms, log, limits, trustedProxies = new Set() }: UpgradeOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, perMessageDeflate: false })
  const perPerson = new SocketQuota(limits.socketsPerPerson)
  const perAddress = new SocketQuota(limits.socketsPerAddress)

  const handleUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://host').pathname
    const match = COLLAB_PATH.exec(path)
    if (!match) return refuseUpgrade(socket, 404, 'Not Found')
    if (isCrossSite(request.headers, allowedOrigin)) return refuseUpgrade(socket, 403, 'Forbidden')

    wss.handleUpgrade(request, socket, head, async (ws) => {
      // Admission and the document's load read the database: what the client sends meanwhile
      // waits in the socket, unread, until its connection is in the room (see Rooms.join).
      ws.pause()
      const sessionToken = readCookie(request.headers.cookie, SESSION_COOKIE)
      let result
      try {
        result = await admit(sessionToken, decodeURIComponentSafe(match[1] ?? ''))
      } catch (error) {
        log.error('could not admit a socket', { error })
        ws.resume()
        ws.close(CloseCode.Unavailable, 'Storage unavailable')
        return
      }
      if (!result.ok) {
        ws.resume()
        ws.close(result.code, result.reason)
        return
      }
      const address = clientAddress(request, trustedProxies)
      const person = String(result.admission.user.id)
      if (!perAddress.tryAcquire(address)) {
        log.warn('refused a socket: too many from one address', { address, limit: limits.socketsPerAddress })
        ws.resume()
        ws.close(CloseCode.TooManyConnections, 'Too many connections from this address')
        return
      }
      if (!perPerson.tryAcquire(person)) {
        perAddress.release(address)
        log.warn('refused a socket: too many for one person', { user: result.admission.user.username, limit: limits.socketsPerPerson })
        ws.resume()
        ws.close(CloseCode.TooManyConnections, 'Too many connections for this person')
        return
      }
      ws.once('close', () => {
        perAddress.release(address)
        perPerson.release(person)
      })
      void rooms.join(new Connection(ws, socket, result.documentId, result.admission, log, limits))
    })
  }

  return { handleUpgrade, close: () => wss.close() }
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return ''
  }
}
