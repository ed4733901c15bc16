import { listenForAccordMessages, type CollabSession, type RefusedWrite } from '@accord/shared'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { ApiClient } from './api.js'
import type { ServerAddress } from './server.js'

export interface CloseInfo {
  code: number
  reason: string
}

/** A real y-websocket client, as the browser runs it, carrying a session cookie. */
export class CollabClient {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  readonly sessions: CollabSession[] = []
  readonly closes: CloseInfo[] = []
  readonly saveFailures: string[] = []
  readonly refusals: RefusedWrite[] = []
  savedVector = new Map<number, number>()

  constructor(server: ServerAddress, documentId: string, cookie: string | null, origin: string | null = server.origin) {
    const headers: Record<string, string> = {}
    if (cookie) headers.cookie = cookie
    if (origin) headers.origin = origin
    class WebSocketWithSession extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers })
      }
    }
    this.provider = new WebsocketProvider(server.url.replace(/^http/, 'ws') + '/collab', documentId, this.doc, {
      WebSocketPolyfill: WebSocketWithSession as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 200,
    })
    listenForAccordMessages(this.provider, {
      onSaved: (vector) => {
        this.savedVector = Y.decodeStateVector(vector)
      },
      onSession: (session) => this.sessions.push(session),
      onSaveFailed: (message) => this.saveFailures.push(message),
      onRefused: (refusal) => this.refusals.push(refusal),
    })
    this.provider.on('connection-close', (event) => {
      if (event) this.closes.push({ code: event.code, reason: event.reason })
    })
  }

  get text(): Y.XmlFragment {
    return this.doc.getXmlFragment('default')
  }

  /** The document as plain text: paragraphs joined by newlines. */
  plainText(): string {
    return this.text
      .toArray()
      .map((node) => (node instanceof Y.XmlElement ? node.toArray().map((child) => child.toString()).join('') : ''))
      .join('\n')
  }

  /** Appends a paragraph, as an editor would. */
  appendParagraph(content: string): void {
    this.doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText(content)])
      this.text.push([paragraph])
    })
  }

  get saved(): boolean {
    return (this.savedVector.get(this.doc.clientID) ?? 0) >= Y.getState(this.doc.store, this.doc.clientID)
  }

  synced(): Promise<void> {
    return waitFor(() => this.provider.synced, 'the client to sync')
  }

  destroy(): void {
    this.provider.destroy()
    this.doc.destroy()
  }
}

export async function connectSynced(server: ServerAddress, documentId: string, client: ApiClient): Promise<CollabClient> {
  const collab = new CollabClient(server, documentId, client.cookie)
  await collab.synced()
  return collab
}

export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Opens a raw socket and reports how the server answered: a refused upgrade, a close, or open. */
export function openRawSocket(
  server: ServerAddress,
  path: string,
  headers: Record<string, string>,
): Promise<{ status?: number; close?: CloseInfo; socket?: WebSocket }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(server.url.replace(/^http/, 'ws') + path, { headers })
    socket.on('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode })
      socket.terminate()
    })
    socket.on('close', (code, reason) => resolve({ close: { code, reason: reason.toString() } }))
    socket.on('error', () => {})
    socket.on('open', () => setTimeout(() => resolve({ socket }), 300))
  })
}
