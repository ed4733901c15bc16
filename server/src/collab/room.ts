import type { CollabSession, Person } from '@accord/shared'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Logger } from '../logger.js'
import type { ChangeRange, StoredState, UpdateLog } from '../persistence/updateLog.js'
import { decodeAwarenessUpdate, encodeAwarenessUpdate, stampIdentity } from './awareness.js'
import { Connection } from './connection.js'
import {
  awarenessMessage,
  saveFailedMessage,
  savedMessage,
  sessionMessage,
  syncStep1Message,
  updateMessage,
} from './messages.js'
import { inspectUpdate } from './updatePolicy.js'

const STORAGE_ORIGIN = Symbol('storage')
/**
 * Carets and names go out at most this often per document, unless an edit is going out
 * anyway, in which case they ride along in the same write. A typist's caret moves with every
 * keystroke; sending it on its own doubled the writes of a meeting (see bench/README.md).
 */
const AWARENESS_BATCH_MS = 100

/** The origin of an edit the server makes on someone's behalf (a new document's model text). */
export class ServerEdit {
  constructor(readonly userId: number) {}
}

/**
 * The live state of one document: its Y.Doc, who is connected, and their cursors. Every
 * write goes through `applyUpdate`, which is the one place updates are recorded with their
 * author and passed on to everyone else.
 */
export class Room {
  readonly doc = new Y.Doc()
  readonly awareness = new awarenessProtocol.Awareness(this.doc)
  readonly connections = new Set<Connection>()
  private readonly clientOwners: Map<number, number>
  private readonly awarenessChanged = new Set<number>()
  private awarenessTimer: NodeJS.Timeout | null = null

  constructor(
    readonly documentId: string,
    stored: StoredState,
    private readonly updateLog: UpdateLog,
    private readonly log: Logger,
    private readonly onEmpty: (room: Room) => void,
  ) {
    this.awareness.setLocalState(null)
    this.clientOwners = stored.clientOwners
    Y.transact(
      this.doc,
      () => {
        if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot)
        for (const update of stored.updates) Y.applyUpdate(this.doc, update)
      },
      STORAGE_ORIGIN,
    )
    this.doc.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) =>
      this.handleDocumentUpdate(update, origin, transaction),
    )
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChanges) => {
      for (const clientId of added.concat(updated, removed)) this.awarenessChanged.add(clientId)
      this.awarenessTimer ??= setTimeout(() => this.broadcastAwareness(), AWARENESS_BATCH_MS)
    })
  }

  join(connection: Connection): void {
    this.connections.add(connection)
    connection.attach(this)
    const session: CollabSession = { role: connection.admission.role, canEdit: connection.admission.canEdit }
    connection.send(sessionMessage(session))
    connection.send(syncStep1Message(this.doc))
    if (!this.updateLog.hasPending(this.documentId)) connection.send(savedMessage(Y.encodeStateVector(this.doc)))
    this.sendAwarenessTo(connection)
  }

  leave(connection: Connection): void {
    if (!this.connections.delete(connection)) return
    awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessClientIds], connection)
    if (this.connections.size === 0) this.onEmpty(this)
  }

  /** Every write from a person passes here: checked first, then applied whole. */
  applyUpdate(connection: Connection, update: Uint8Array, maxBytes: number): void {
    const verdict = inspectUpdate(update, {
      doc: this.doc,
      clientOwners: this.clientOwners,
      userId: connection.user.id,
      maxBytes,
    })
    if (!verdict.ok) {
      connection.refuse(verdict.refusal)
      // Sync step 1 makes the client send everything we lack, dependencies included.
      if (verdict.refusal.code === 'missing_dependencies') connection.send(syncStep1Message(this.doc))
      return
    }
    for (const client of verdict.clients) if (!this.clientOwners.has(client)) this.clientOwners.set(client, connection.user.id)
    Y.applyUpdate(this.doc, update, connection)
    connection.awaitingSave = true
  }

  applyAwareness(connection: Connection, update: Uint8Array): void {
    const entries = decodeAwarenessUpdate(update).filter((entry) => this.mayUseClientId(connection, entry.clientId))
    for (const entry of entries) connection.awarenessClientIds.add(entry.clientId)
    if (entries.length === 0) return
    awarenessProtocol.applyAwarenessUpdate(
      this.awareness,
      encodeAwarenessUpdate(stampIdentity(entries, connection.identity)),
      connection,
    )
  }

  sendAwarenessTo(connection: Connection): void {
    const clients = [...this.awareness.getStates().keys()]
    if (clients.length === 0) return
    connection.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients)))
  }

  /** Called once the update log has committed this document's updates: tell everyone what is safe. */
  /**
   * Called once the update log has committed this document's updates: tell those who wrote
   * what is now safe. Only they can be waiting for it; sending it to every reader too made a
   * third frame per keystroke for a whole meeting (see bench/README.md).
   */
  handleCommitted(): void {
    const waiting = [...this.connections].filter((connection) => connection.awaitingSave)
    if (waiting.length === 0) return
    const message = savedMessage(Y.encodeStateVector(this.doc))
    for (const connection of waiting) {
      connection.awaitingSave = false
      connection.send(message)
    }
  }

  /** Storing failed: those waiting may not believe "Saved" until a later commit succeeds. */
  handleSaveFailed(): void {
    const message = saveFailedMessage('The server could not store the latest changes. It keeps trying; keep this page open.')
    for (const connection of this.connections) if (connection.awaitingSave) connection.send(message)
  }

  people(): Person[] {
    const byUsername = new Map<string, Person>()
    for (const { user } of this.connections) {
      byUsername.set(user.username, {
        username: user.username,
        displayName: user.displayName,
        affiliation: user.affiliation,
      })
    }
    return [...byUsername.values()]
  }

  /** The whole document as one update, for snapshots. */
  encodeState(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc)
  }

  destroy(): void {
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer)
    this.awareness.destroy()
    this.doc.destroy()
  }

  private handleDocumentUpdate(update: Uint8Array, origin: unknown, transaction: Y.Transaction): void {
    const author = origin instanceof Connection ? origin : null
    const userId = author?.user.id ?? (origin instanceof ServerEdit ? origin.userId : null)
    this.updateLog.append({
      documentId: this.documentId,
      data: update,
      userId,
      changes: changesOf(transaction),
    })
    // Sent to the author too: when this update completes one that was waiting for its
    // dependencies, it carries content the author may not have.
    this.broadcast(updateMessage(update))
    this.broadcastAwareness()
  }

  private broadcastAwareness(): void {
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer)
    this.awarenessTimer = null
    if (this.awarenessChanged.size === 0) return
    const changed = [...this.awarenessChanged]
    this.awarenessChanged.clear()
    this.broadcast(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)))
  }

  private mayUseClientId(connection: Connection, clientId: number): boolean {
    for (const other of this.connections) {
      if (other !== connection && other.awarenessClientIds.has(clientId)) {
        this.log.warn('refused an awareness update for another connection’s client id', {
          documentId: this.documentId,
          user: connection.user.username,
        })
        return false
      }
    }
    return true
  }

  private broadcast(message: Uint8Array): void {
    for (const connection of this.connections) connection.send(message)
  }
}

/** The ids a transaction inserted and deleted: the basis of attribution. */
function changesOf(transaction: Y.Transaction): ChangeRange[] {
  const changes: ChangeRange[] = []
  for (const [client, after] of transaction.afterState) {
    const before = transaction.beforeState.get(client) ?? 0
    if (after > before) changes.push({ kind: 'insert', client, clock: before, length: after - before })
  }
  for (const [client, ranges] of transaction.deleteSet.clients) {
    for (const range of ranges) changes.push({ kind: 'delete', client, clock: range.clock, length: range.len })
  }
  return changes
}

interface AwarenessChanges {
  added: number[]
  updated: number[]
  removed: number[]
}
