import { MessageType } from '@accord/shared'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import type { ServerAddress } from './server.js'
import { waitFor } from './collab.js'

/** A collaboration socket that sends exactly the bytes a test gives it and records every reply. */
export class RawCollabSocket {
  readonly received: Uint8Array[] = []
  closed: { code: number; reason: string } | null = null

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => this.received.push(new Uint8Array(data)))
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() }
    })
  }

  static async open(server: ServerAddress, documentId: string, cookie: string): Promise<RawCollabSocket> {
    const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/collab/${documentId}`, {
      headers: { cookie, origin: server.origin },
    })
    const raw = new RawCollabSocket(socket)
    await new Promise((resolve, reject) => {
      socket.once('open', resolve)
      socket.once('error', reject)
    })
    await waitFor(() => raw.messagesOfType(MessageType.Session).length > 0, 'the session message')
    return raw
  }

  sendUpdate(update: Uint8Array): void {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.Sync)
    encoding.writeVarUint(encoder, 2)
    encoding.writeVarUint8Array(encoder, update)
    this.socket.send(encoding.toUint8Array(encoder))
  }

  messagesOfType(type: number): decoding.Decoder[] {
    return this.received
      .map((message) => decoding.createDecoder(message))
      .filter((decoder) => decoding.readVarUint(decoder) === type)
  }

  refusals(): { code: string; message: string }[] {
    return this.messagesOfType(MessageType.Refused).map((decoder) => JSON.parse(decoding.readVarString(decoder)))
  }

  /** Sends an update and waits for the server to refuse it. */
  async refusalOf(update: Uint8Array): Promise<{ code: string; message: string }> {
    const seen = this.refusals().length
    this.sendUpdate(update)
    await waitFor(() => this.refusals().length > seen, 'a refusal')
    return this.refusals()[seen]!
  }

  close(): void {
    this.socket.close()
  }
}
