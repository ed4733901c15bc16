import {
  AFFILIATIONS,
  awarenessMessage,
  CloseCode,
  describeClose,
  listenForAccordMessages,
  MAX_UPDATE_BYTES,
  MessageType,
  ROLES,
  storedCovers,
  updateMessage,
  type Affiliation,
  type CollabSession,
  type RefusedWrite,
  type Role,
} from '@accord/shared'
import type { IndexeddbPersistence } from 'y-indexeddb'
import { encodeAwarenessUpdate } from 'y-protocols/awareness'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { coalescedAfterPaint, whenPageHides } from '../lib/schedule'
import { registerUnsentCheck } from './offlineCopies'
import { closeOfflineStore, deleteOfflineStore, openOfflineStore, whenOfflineStoreReady } from './offlineStore'

export interface PresentPerson {
  clientId: number
  username: string
  name: string
  affiliation: Affiliation
}

export interface CollaborationSnapshot {
  /**
   * 'connecting' only until the first connection opens or fails; after that 'offline' whenever
   * there is no open socket (reconnect attempts do not flicker back to 'connecting').
   */
  connection: 'connecting' | 'connected' | 'offline'
  /** The document has been loaded from the server at least once. */
  loaded: boolean
  /**
   * The copy kept on this device: 'loading' until read; 'none' without usable IndexedDB;
   * 'empty' when there is no text in it (never opened here, or empty when last opened);
   * 'content' when it holds text the editor can show before the server answers.
   */
  offlineCopy: 'loading' | 'none' | 'empty' | 'content'
  /** The rights this person had when this device last had the document open (from the offline copy). */
  rememberedSession: CollabSession | null
  /** The rights the server admitted the current (or last) connection with. */
  session: CollabSession | null
  /** Some of this person's changes are not yet confirmed stored by the server. */
  unsaved: boolean
  /** The server said storing failed; cleared by a later Saved that covers all of this person's changes. */
  saveFailed: string | null
  /**
   * The server closed the last connection with 4500: it cannot open the document's stored state
   * right now. The provider keeps reconnecting; cleared once a connection has synced.
   */
  unavailable: boolean
  /** The server refused or ended the connection for good, with a sentence for the person. */
  closed: { code: number; message: string } | null
  people: PresentPerson[]
}

export const INITIAL_SNAPSHOT: CollaborationSnapshot = {
  connection: 'connecting',
  loaded: false,
  offlineCopy: 'loading',
  rememberedSession: null,
  session: null,
  unsaved: false,
  saveFailed: null,
  unavailable: false,
  closed: null,
  people: [],
}

/**
 * The rights the editor should be mounted with: the live session, or, before the server has
 * answered, the one remembered on this device (so a reload while offline can keep drafting).
 * The server checks every write anyway; a stale "can edit" only leads to a refused write.
 */
export function editorSession(snapshot: CollaborationSnapshot): CollabSession | null {
  return snapshot.session ?? snapshot.rememberedSession
}

/**
 * Whether the editor may be mounted: the text has come from the server, or from this device's
 * copy with content in it. Never on an empty, unloaded document, or the editor would create a
 * second initial paragraph that duplicates the server's when they merge.
 */
export function canShowText(snapshot: CollaborationSnapshot): boolean {
  return snapshot.loaded || snapshot.offlineCopy === 'content'
}

export interface CollaborationOptions {
  /** The server dropped one of this client's writes for good: the local copy can no longer converge. */
  onRefused?(refusal: RefusedWrite): void
}

const SESSION_KEY = 'session'
const STORED_VECTOR_KEY = 'storedStateVector'
const SAVED_SETTLE_MS = 400

/**
 * One document's live connection: the Y.Doc, its copy on this device, the y-websocket
 * provider, and what the interface shows about them (connection, saved state, who is here), as
 * a store React can subscribe to.
 */
export class Collaboration {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  private readonly offlineStore: IndexeddbPersistence | null
  private snapshot = INITIAL_SNAPSHOT
  private storedVector = new Map<number, number>()
  /**
   * Client ids whose changes this device is responsible for getting stored: this doc's own id,
   * and every id found in the offline copy (changes typed offline before a reload have the id
   * of the earlier page). Other people's changes reach us through the server, which has them.
   */
  private readonly tracked = new Set<number>()
  private readonly listeners = new Set<() => void>()
  private readonly incomingListeners = new Set<() => void>()
  private savedTimer: ReturnType<typeof setTimeout> | null = null
  private destroyed = false
  private readonly unregisterUnsentCheck: () => void
  private readonly stopSendingAfterPaint: () => void

  constructor(
    documentId: string,
    username: string,
    private readonly options: CollaborationOptions = {},
  ) {
    const socketUrl = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/collab`
    // BroadcastChannel would let two tabs sync without the server, bypassing its checks.
    this.provider = new WebsocketProvider(socketUrl, documentId, this.doc, { disableBc: true, connect: false })
    sendOnlyOwnAwareness(this.provider)
    this.stopSendingAfterPaint = sendUpdatesAfterPaint(this.provider)
    const readSyncMessage = this.provider.messageHandlers[MessageType.Sync]!
    this.provider.messageHandlers[MessageType.Sync] = (...message) => {
      for (const listener of this.incomingListeners) listener()
      readSyncMessage(...message)
    }
    this.offlineStore = openOfflineStore(username, documentId, this.doc)
    listenForAccordMessages(this.provider, {
      onSaved: (vector) => {
        this.storedVector = Y.decodeStateVector(vector)
        this.remember(STORED_VECTOR_KEY, vector.slice().buffer)
        this.refreshSaved()
        if (!this.hasUnstoredChanges()) this.set({ saveFailed: null })
      },
      onSession: (session) => {
        this.set({ session })
        this.remember(SESSION_KEY, JSON.stringify(session))
      },
      onRefused: (refusal) => {
        // The server also sends sync step 1 for this one, and the provider resends what was missing.
        if (refusal.code === 'missing_dependencies') return
        this.options.onRefused?.(refusal)
      },
      onSaveFailed: (message) => this.set({ saveFailed: message }),
    })
    this.provider.on('status', ({ status }) => {
      if (status === 'connected') this.set({ connection: 'connected' })
      else if (status === 'disconnected') this.set({ connection: 'offline' })
    })
    this.provider.on('connection-close', (event) => {
      if (event?.code === CloseCode.Unavailable) this.set({ unavailable: true })
      // A connection that never opened reports no 'disconnected' status, only a close.
      if (!this.provider.wsconnected) this.set({ connection: 'offline' })
    })
    this.provider.on('sync', (synced: boolean) => {
      if (synced) this.set({ loaded: true, unavailable: false })
    })
    this.provider.on('closed', ({ code }) => {
      this.set({ closed: { code, message: describeClose(code) } })
      // No longer a member (or no such document): this device keeps no copy of it.
      if (code === CloseCode.NotFound && this.offlineStore) void deleteOfflineStore(this.offlineStore)
    })
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this.offlineStore) {
        for (const clientId of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update)).keys()) this.tracked.add(clientId)
      }
      if (origin !== this.provider) this.refreshSaved()
    })
    // Carets move on every keystroke; the list of people changes only when someone comes or goes.
    this.provider.awareness.on('change', () => {
      const people = this.readPeople()
      if (!samePeople(people, this.snapshot.people)) this.set({ people })
    })
    // So sign-out can warn that it would delete changes the server has not stored.
    this.unregisterUnsentCheck = registerUnsentCheck(() => this.hasUnstoredChanges() || this.snapshot.saveFailed !== null)
    void this.start()
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  getSnapshot = () => this.snapshot

  /** Calls `listener` before each message from the server that may change the document is read. */
  beforeIncomingChanges(listener: () => void): () => void {
    this.incomingListeners.add(listener)
    return () => this.incomingListeners.delete(listener)
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    if (this.savedTimer) clearTimeout(this.savedTimer)
    this.unregisterUnsentCheck()
    this.stopSendingAfterPaint()
    this.provider.destroy()
    if (this.offlineStore) void closeOfflineStore(this.offlineStore)
    this.doc.destroy()
    this.listeners.clear()
    this.incomingListeners.clear()
  }

  /**
   * Destroys the connection and deletes this device's copy of the document: used when the
   * server refused a write, so the copy holds content that will never converge with the server's.
   */
  async discard(): Promise<void> {
    this.destroy()
    if (this.offlineStore) await deleteOfflineStore(this.offlineStore)
  }

  /** Loads this device's copy first, so the first sync exchange already carries it, then connects. */
  private async start(): Promise<void> {
    const store = this.offlineStore
    if (store && (await whenOfflineStoreReady(store))) {
      const [session, stored] = await Promise.all([
        store.get(SESSION_KEY).catch(() => undefined),
        store.get(STORED_VECTOR_KEY).catch(() => undefined),
      ])
      if (this.destroyed) return
      if (stored instanceof ArrayBuffer && this.storedVector.size === 0) {
        this.storedVector = Y.decodeStateVector(new Uint8Array(stored))
      }
      this.set({
        offlineCopy: this.doc.getXmlFragment('default').length > 0 ? 'content' : 'empty',
        rememberedSession: parseSession(session),
      })
      this.refreshSaved()
    } else {
      if (this.destroyed) return
      this.set({ offlineCopy: 'none' })
    }
    this.provider.connect()
  }

  /** Keeps a small fact with this device's copy of the document. */
  private remember(key: string, value: string | ArrayBuffer): void {
    if (this.offlineStore && !this.destroyed) this.offlineStore.set(key, value).catch(() => undefined)
  }

  /**
   * "Saving…" shows at once; "Saved" only once nothing has been waiting for SAVED_SETTLE_MS.
   * While someone types, every keystroke is stored within milliseconds, and flipping the status
   * twice per key re-rendered the page twice per key: with the caret in a long document each
   * render costs React a walk over the text to note the selection.
   */
  private refreshSaved(): void {
    if (this.destroyed) return
    if (this.hasUnstoredChanges()) {
      if (this.savedTimer) clearTimeout(this.savedTimer)
      this.savedTimer = null
      this.set({ unsaved: true })
    } else if (this.snapshot.unsaved && !this.savedTimer) {
      this.savedTimer = setTimeout(() => {
        this.savedTimer = null
        if (!this.destroyed && !this.hasUnstoredChanges()) this.set({ unsaved: false })
      }, SAVED_SETTLE_MS)
    }
  }

  /** Whether this device holds changes the server has not yet said it stored. */
  private hasUnstoredChanges(): boolean {
    this.tracked.add(this.doc.clientID)
    for (const clientId of this.tracked) {
      if (!storedCovers(this.storedVector, clientId, Y.getState(this.doc.store, clientId))) return true
    }
    return false
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

/**
 * y-websocket sends on every awareness change it sees, others' carets included, so each caret
 * move would come back to the server from every other screen (which keeps only each
 * connection's own). Only this screen's own state is sent.
 */
function sendOnlyOwnAwareness(provider: WebsocketProvider): void {
  const { awareness } = provider
  awareness.off('update', provider._awarenessUpdateHandler)
  provider._awarenessUpdateHandler = ({ added, updated, removed }: Record<'added' | 'updated' | 'removed', number[]>) => {
    const own = awareness.clientID
    if (!added.includes(own) && !updated.includes(own) && !removed.includes(own)) return
    if (!provider.wsconnected || !provider.ws) return
    provider.ws.send(awarenessMessage(encodeAwarenessUpdate(awareness, [own])))
  }
  awareness.on('update', provider._awarenessUpdateHandler)
}

/**
 * y-websocket writes each change to the socket inside the keystroke that made it, before the
 * character is painted. Changes go once the frame showing them is painted instead, and at once
 * when the page is hidden, where no frame is painted. The changes of one frame go as one message,
 * so input faster than the screen (a held key, a dictation tool) cannot reach the server's limit
 * of messages a second; when together they would be large, each goes alone, so none grows past
 * the server's size limit. A change made while the socket is down is not lost: it is in the
 * document, and the sync on reconnecting sends it, as y-websocket does.
 */
function sendUpdatesAfterPaint(provider: WebsocketProvider): () => void {
  let pending: Uint8Array[] = []
  const send = () => {
    const updates = pending
    pending = []
    const { ws } = provider
    if (!provider.wsconnected || !ws || ws.readyState !== WebSocket.OPEN || updates.length === 0) return
    const bytes = updates.reduce((sum, update) => sum + update.byteLength, 0)
    if (updates.length > 1 && bytes <= MAX_UPDATE_BYTES / 2) ws.send(updateMessage(Y.mergeUpdates(updates)))
    else for (const update of updates) ws.send(updateMessage(update))
  }
  const sendAfterPaint = coalescedAfterPaint(send)
  provider.doc.off('update', provider._updateHandler)
  provider._updateHandler = (update: Uint8Array, origin: unknown) => {
    if (origin === provider) return
    pending.push(update)
    if (document.visibilityState === 'hidden') send()
    else sendAfterPaint()
  }
  provider.doc.on('update', provider._updateHandler)
  const stopSendingOnHide = whenPageHides(send)
  return () => {
    send()
    stopSendingOnHide()
  }
}

function parseSession(value: unknown): CollabSession | null {
  if (typeof value !== 'string') return null
  try {
    const session = JSON.parse(value) as Partial<CollabSession>
    return ROLES.includes(session.role as Role) && typeof session.canEdit === 'boolean'
      ? { role: session.role as Role, canEdit: session.canEdit }
      : null
  } catch {
    return null
  }
}

function samePeople(a: readonly PresentPerson[], b: readonly PresentPerson[]): boolean {
  return a.length === b.length && a.every((person, index) => JSON.stringify(person) === JSON.stringify(b[index]))
}
