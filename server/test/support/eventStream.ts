import type { ApiClient } from './api.js'
import { waitFor } from './collab.js'

export interface StreamEvent {
  id: string
  event: string
  data: unknown
}

/** A document's comment event stream (Server-Sent Events), read as EventSource would, from any server. */
export class EventStream {
  readonly events: StreamEvent[] = []
  ended = false

  private constructor(
    readonly status: number,
    private readonly controller: AbortController,
    body: ReadableStream<Uint8Array> | null,
  ) {
    if (body) void this.read(body)
    else this.ended = true
  }

  static async open(serverUrl: string, documentId: string, client: ApiClient, lastEventId?: string): Promise<EventStream> {
    const controller = new AbortController()
    const headers: Record<string, string> = { cookie: client.cookie ?? '', accept: 'text/event-stream' }
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId
    const response = await fetch(`${serverUrl}/api/documents/${documentId}/events`, { headers, signal: controller.signal })
    return new EventStream(response.status, controller, response.ok ? response.body : null)
  }

  close(): void {
    this.controller.abort()
  }

  async next(predicate: (event: StreamEvent) => boolean = () => true, what = 'the next event'): Promise<StreamEvent> {
    await waitFor(() => this.events.some(predicate), what)
    return this.events.find(predicate)!
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true })
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const fields = new Map<string, string>()
          for (const line of block.split('\n')) {
            const colon = line.indexOf(':')
            if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart())
          }
          if (fields.has('data')) {
            this.events.push({ id: fields.get('id') ?? '', event: fields.get('event') ?? 'message', data: JSON.parse(fields.get('data')!) })
          }
        }
      }
    } catch {
      // aborted by the test
    }
    this.ended = true
  }
}
