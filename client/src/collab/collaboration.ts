import {
  AFFILIATIONS,
  describeClose,
  listenForAccordMessages,
  storedCovers,
  type Affiliation,
  type CollabSession,
} from '@accord/shared'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

export interface PresentPerson {
  clientId: number
  username: string
  name: string
  affiliation: Affiliation
}

export interface CollaborationSnapshot {
  /** 'offline' only after a first connection: before that we are still connecting. */
  connection: 'connecting' | 'connected' | 'offline'
  /** The document has been loaded from the server at least once. */
  loaded: boolean
  session: CollabSession | null
  /** Some of this person's changes are not yet confirmed stored by the server. */
  unsaved: boolean
  /** The server refused or ended the connection for good, with a sentence for the person. */
  closed: { code: number; message: string } | null
  people: PresentPerson[]
}

/**
 * One document's live connection: the Y.Doc, the y-websocket provider, and what the
 * interface shows about them (connection, saved state, who is here), as a store React
 * can subscribe to.
 */
export const INITIAL_SNAPSHOT: CollaborationSnapshot = {
  connection: 'connecting',
  loaded: false,
  session: null,
  unsaved: false,
  closed: null,
  people: [],
}

export class Collaboration {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  private snapshot = INITIAL_SNAPSHOT
  private storedVector = new Map<number, number>()
  private readonly listeners = new Set<() => void>()

  constructor(documentId: string) {
    const socketUrl = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/collab`
    // BroadcastChannel would let two tabs sync without the server, bypassing its checks.
    this.provider = new WebsocketProvider(socketUrl, documentId, this.doc, { disableBc: true, connect: false })
    listenForAccordMessages(this.provider, {
      onSaved: (vector) => {
        this.storedVector = Y.decodeStateVector(vector)
        this.refreshSaved()
      },
      onSession: (session) => this.set({ session }),
    })
    this.provider.on('status', ({ status }) => {
      if (status === 'connected') this.set({ connection: 'connected' })
      else if (status === 'disconnected') this.set({ connection: 'offline' })
      else if (!this.snapshot.loaded) this.set({ connection: 'connecting' })
    })
    this.provider.on('sync', (synced: boolean) => {
      if (synced) this.set({ loaded: true })
    })
    this.provider.on('closed', ({ code }) => this.set({ closed: { code, message: describeClose(code) } }))
    this.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin !== this.provider) this.refreshSaved()
    })
    this.provider.awareness.on('change', () => this.set({ people: this.readPeople() }))
    this.provider.connect()
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  getSnapshot = () => this.snapshot

  destroy(): void {
    this.provider.destroy()
    this.doc.destroy()
    this.listeners.clear()
  }

  private refreshSaved(): void {
    const clock = Y.getState(this.doc.store, this.doc.clientID)
    this.set({ unsaved: !storedCovers(this.storedVector, this.doc.clientID, clock) })
  }

  private readPeople(): PresentPerson[] {
    const people = new Map<string, PresentPerson>()
    for (const [clientId, state] of this.provider.awareness.getStates()) {
      const user = (state as { user?: Partial<PresentPerson> & { name?: string } }).user
      if (!user?.username || !user.name || !AFFILIATIONS.includes(user.affiliation as Affiliation)) continue
      if (!people.has(user.username)) {
        people.set(user.username, {
          clientId,
          username: user.username,
          name: user.name,
          affiliation: user.affiliation as Affiliation,
        })
      }
    }
    return [...people.values()]
  }

  private set(changes: Partial<CollaborationSnapshot>): void {
    const next = { ...this.snapshot, ...changes }
    const changed = (Object.keys(changes) as (keyof CollaborationSnapshot)[]).some(
      (key) => next[key] !== this.snapshot[key],
    )
    if (!changed) return
    this.snapshot = next
    for (const listener of this.listeners) listener()
  }
}
