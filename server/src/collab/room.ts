import { awarenessMessage, updateMessage, type CollabSession, type Person } from '@accord/shared'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Logger } from '../logger.js'
import type { ChangeRange, StoredSince, StoredState, UpdateEntry, UpdateLog } from '../persistence/updateLog.js'
import { decodeAwarenessUpdate, encodeAwarenessUpdate, MAX_AWARENESS_CLIENTS_PER_SOCKET, stampIdentity } from './awareness.js'
import { Connection } from './connection.js'
import { binaryFrame, binaryFrameAround, type Frame } from './frames.js'
import {
  saveFailedMessage,
  savedMessage,
  sessionMessage,
  syncStep1Message,
  syncStep2Head,
} from './messages.js'
import { changesNothing, inspectUpdate, placeablePart, withoutClients } from './updatePolicy.js'

const STORAGE_ORIGIN = Symbol('storage')
const RELAYED_AWARENESS = Symbol('relayed awareness')
/**
 * A change to carets and names waits at most this long, unless an edit goes out first: then it
 * rides along in the same write, with the carets that arrived in the same turn as the edit (a
 * keystroke's caret comes right behind it). A typist's caret moves with every keystroke;
 * sending it on its own doubled the writes of a meeting (see bench/README.md).
 */
const AWARENESS_BATCH_MS = 100
/**
 * Carets ride along with edits at most this often. When many people type at once every turn
 * carries an edit, and sending the turn's carets each time cost an encoding and a frame per
 * reader per edit; screens redraw other people's carets only every 150 ms anyway.
 */
const AWARENESS_WITH_EDITS_EVERY_MS = 50

/** The origin of an edit the server makes on someone's behalf (a new document's model text). */
export class ServerEdit {
  constructor(readonly userId: number) {}
}

/**
 * The origin of an update another instance of the deployment received and stored (cluster/):
 * applied and sent on to this instance's sockets, never stored again.
 */
export class StoredElsewhere {
  constructor(readonly userId: number | null) {}
}

/** What a room tells the other instances of the deployment (cluster/); absent when alone. */
export interface RoomRelay {
  /** Carets and names of this instance's connections that changed, as one awareness update. */
  awareness(documentId: string, update: Uint8Array): void
}

/**
 * The live state of one document: who is connected, their cursors, and the document itself.
 * Every write goes through `applyUpdate`, which is the one place updates are recorded with
 * their author and passed on to everyone else.
 *
 * A document loaded from a snapshot is not built into a Y.Doc until someone writes: until
 * then the snapshot's bytes answer every joiner, so a room full of readers opening a long
 * agreement costs a read from SQLite, not seconds of decoding (bench scenario 3).
 */
export class Room {
  readonly awareness = new awarenessProtocol.Awareness(new Y.Doc())
  readonly connections = new Set<Connection>()
  private readonly clientOwners: Map<number, number>
  private liveDoc: Y.Doc | null = null
  private stored: StoredState | null
  /** The whole document as one update (and as a sync reply), while it is the current state. */
  private encoded: EncodedState | null = null
  /** What is on disk, as a state vector. */
  private readonly storedStateVector: Map<number, number>
  /** Updates handed to the update log, and how many of them are known to be on disk. */
  private appended = 0
  private committedThrough = 0
  private readonly loadedUpdates: number
  private readonly awarenessChanged = new Set<number>()
  /** Of those, the ones this instance's own connections changed: the others' carets are theirs to relay. */
  private readonly ownAwarenessChanged = new Set<number>()
  /** The newest stored update id this room's state is known to include (how instances catch up). */
  storedThrough: number
  /**
   * Writes of connections that joined while this instance catches up with the database
   * (cluster/): a person moving from an instance that stopped resends what that instance may
   * already have stored, and it must be found stored here, not stored a second time.
   */
  private readonly heldWrites = new Map<Connection, { update: Uint8Array; maxBytes: number }[]>()
  private awarenessTimer: NodeJS.Timeout | null = null
  /** When the oldest change in `awarenessChanged` came. */
  private awarenessPendingSince = 0
  private awarenessWithEditQueued = false
  private lastAwarenessBroadcastAt = 0
  /** The connection speaking for each awareness client id here. */
  private readonly awarenessOwners = new Map<number, Connection>()
  /** Edits since the last version or checkpoint: when the last came, and who made them. */
  private sinceCheckpoint = { edits: 0, lastAt: 0, editors: new Set<number>() }

  constructor(
    readonly documentId: string,
    stored: StoredState,
    private readonly updateLog: UpdateLog,
    private readonly log: Logger,
    private readonly onEmpty: (room: Room) => void,
    private readonly relay: RoomRelay | null = null,
  ) {
    this.awareness.setLocalState(null)
    this.clientOwners = stored.clientOwners
    this.stored = stored
    this.loadedUpdates = stored.updates.length
    this.storedThrough = stored.lastUpdateId
    if (stored.snapshot && stored.updates.length === 0) {
      const stateVector = stored.snapshotStateVector ?? Y.encodeStateVectorFromUpdate(stored.snapshot)
      this.encoded = { update: stored.snapshot, stateVector }
      this.storedStateVector = Y.decodeStateVector(stateVector)
    } else {
      this.storedStateVector = Y.decodeStateVector(Y.encodeStateVector(this.doc))
    }
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChanges, origin: unknown) => {
      // Timeouts are not relayed: every instance times out the carets it holds by itself.
      const own = origin instanceof Connection
      if (this.awarenessChanged.size === 0) this.awarenessPendingSince = performance.now()
      for (const clientId of added.concat(updated, removed)) {
        this.awarenessChanged.add(clientId)
        if (own) this.ownAwarenessChanged.add(clientId)
      }
      this.awarenessTimer ??= setTimeout(() => this.broadcastStaleAwareness(), AWARENESS_BATCH_MS)
    })
  }

  /** The live Y.Doc, built from storage the first time it is needed. */
  get doc(): Y.Doc {
    return (this.liveDoc ??= this.buildDoc())
  }

  /** The time of the last edit not yet in a version or checkpoint (0 when there is none). */
  get uncheckpointedSince(): number {
    return this.sinceCheckpoint.edits > 0 ? this.sinceCheckpoint.lastAt : 0
  }

  /** Called when the current state is stored as a version: returns who edited since the last one. */
  markCheckpointed(): Set<number> {
    const { editors } = this.sinceCheckpoint
    this.sinceCheckpoint = { edits: 0, lastAt: 0, editors: new Set() }
    return editors
  }

  /** Whether the next load would have more to read than one snapshot. */
  get needsSnapshot(): boolean {
    return this.appended > 0 || this.loadedUpdates > 0
  }

  join(connection: Connection): void {
    this.connections.add(connection)
    connection.attach(this)
    const session: CollabSession = { role: connection.admission.role, canEdit: connection.admission.canEdit }
    connection.send(sessionMessage(session))
    connection.send(syncStep1Message(this.encoded?.stateVector ?? Y.encodeStateVector(this.doc)))
    if (!this.updateLog.hasPending(this.documentId)) connection.send(savedMessage(Y.encodeStateVector(this.storedStateVector)))
    // A writer back from a dropped connection may be waiting for writes already on their way
    // to disk; its catch-up repeats them and so is owed nothing itself. Owed one Saved now.
    else if (connection.admission.canEdit) connection.awaitingSaveThrough = this.appended
    this.sendAwarenessTo(connection)
  }

  /** The answer to a client's sync step 1, framed: everything a client with `stateVector` lacks. */
  syncReplyFor(stateVector: Uint8Array): Frame {
    const fresh = stateVector.byteLength === 1 && stateVector[0] === 0
    const update = fresh
      ? this.encodeState().update
      : this.liveDoc
        ? Y.encodeStateAsUpdate(this.liveDoc, stateVector)
        : Y.diffUpdate(this.encoded!.update, stateVector)
    // A joiner with nothing yet gets the whole document: encoded once per version however
    // many join, and written to each of them as it is, never copied.
    return binaryFrameAround(syncStep2Head(update), update)
  }

  leave(connection: Connection): void {
    this.heldWrites.delete(connection)
    if (!this.connections.delete(connection)) return
    for (const clientId of connection.awarenessClientIds) if (this.awarenessOwners.get(clientId) === connection) this.awarenessOwners.delete(clientId)
    awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessClientIds], connection)
    if (this.connections.size === 0) this.onEmpty(this)
  }

  /** Every write from a person passes here: checked first, then applied whole. */
  applyUpdate(connection: Connection, update: Uint8Array, maxBytes: number): void {
    const held = this.heldWrites.get(connection)
    if (held) {
      held.push({ update, maxBytes })
      return
    }
    const context = { doc: this.doc, clientOwners: this.clientOwners, userId: connection.user.id, maxBytes }
    let verdict = inspectUpdate(update, context)
    let waitingFor: ReadonlySet<number> | null = null
    if (!verdict.ok && verdict.foreign) {
      // Another person's new text in this write is dropped: theirs to resend (updatePolicy.withoutClients).
      const foreign = verdict.foreign
      this.log.warn('dropped text under another person’s editor id', { documentId: this.documentId, user: connection.user.username })
      update = withoutClients(update, foreign)
      verdict = inspectUpdate(update, context)
      if (!verdict.ok && verdict.refusal.code === 'missing_dependencies') {
        // Some of the sender's own text builds on what was dropped: keep what stands without
        // it, and ask for the rest when that person's text arrives. Placing it copies the
        // document, so it is done once per arrival, not for every repeat.
        if (connection.waitingForText) return
        update = placeablePart(this.doc, update)
        verdict = inspectUpdate(update, context)
        waitingFor = new Set(foreign.keys())
      }
    }
    if (!verdict.ok) {
      connection.refuse(verdict.refusal)
      // Sync step 1 makes the client send everything we lack, dependencies included.
      if (verdict.refusal.code === 'missing_dependencies') connection.send(syncStep1Message(Y.encodeStateVector(this.doc)))
      return
    }
    for (const client of verdict.clients) if (!this.clientOwners.has(client)) this.clientOwners.set(client, connection.user.id)
    Y.applyUpdate(this.doc, update, connection)
    if (waitingFor) connection.waitingForText = waitingFor
    // Owed a Saved once the log has stored everything handed to it so far, this write included.
    connection.awaitingSaveThrough = this.appended
    if (this.committedThrough >= this.appended) this.handleCommitted([])
  }

  /** From now on `connection`'s writes wait until `releaseWrites` (see `heldWrites`). */
  holdWrites(connection: Connection): void {
    if (this.connections.has(connection)) this.heldWrites.set(connection, [])
  }

  /** Applies the held writes in the order they came, and lets the next ones through. */
  releaseWrites(connection: Connection): void {
    const held = this.heldWrites.get(connection)
    if (!held) return
    this.heldWrites.delete(connection)
    for (const { update, maxBytes } of held) if (this.connections.has(connection)) this.applyUpdate(connection, update, maxBytes)
  }

  /** Whether `update` holds nothing this document lacks (see updatePolicy.changesNothing). */
  changesNothing(update: Uint8Array): boolean {
    return changesNothing(this.doc, update)
  }

  applyAwareness(connection: Connection, update: Uint8Array): void {
    const entries = decodeAwarenessUpdate(update, connection.limits.maxAwarenessBytes).filter((entry) =>
      // A client also reports others' carets that timed out on its screen: not its to remove.
      entry.state === null ? connection.awarenessClientIds.has(entry.clientId) : this.claimClientId(connection, entry.clientId),
    )
    if (entries.length === 0) return
    awarenessProtocol.applyAwarenessUpdate(
      this.awareness,
      encodeAwarenessUpdate(stampIdentity(entries, connection.identity)),
      connection,
    )
  }

  /** An update another instance stored (cluster/): applied and broadcast here, not stored again. */
  applyStoredElsewhere(update: Uint8Array, userId: number | null): void {
    Y.applyUpdate(this.doc, update, new StoredElsewhere(userId))
  }

  /** Applies what the database holds beyond `storedThrough` (what a relay may have missed). */
  catchUp(stored: StoredSince): void {
    if (stored.updates.length === 0) return
    for (const [client, owner] of stored.clientOwners) this.clientOwners.set(client, owner)
    for (const update of stored.updates) {
      if (update.id <= this.storedThrough) continue
      // Updates already here (this instance's own, or relayed) change nothing and broadcast nothing.
      this.applyStoredElsewhere(update.data, update.userId)
      this.storedThrough = update.id
    }
  }

  /** Carets and names of this instance's own connections, for another instance that just opened the document. */
  ownAwareness(): Uint8Array | null {
    const clients: number[] = []
    for (const connection of this.connections) {
      for (const clientId of connection.awarenessClientIds) if (this.awareness.getStates().has(clientId)) clients.push(clientId)
    }
    return clients.length > 0 ? awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients) : null
  }

  /** Carets and names relayed by another instance: shown here like any other, never relayed back. */
  applyRelayedAwareness(update: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, RELAYED_AWARENESS)
  }

  sendAwarenessTo(connection: Connection): void {
    const clients = [...this.awareness.getStates().keys()]
    if (clients.length === 0) return
    connection.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients)))
  }

  /**
   * Called once the update log has stored some of this document's updates: tell those whose
   * writes are now all on disk. Only writers can be waiting; sending it to every reader too
   * made a third frame per keystroke for a whole meeting (see bench/README.md).
   */
  handleCommitted(stored: readonly UpdateEntry[]): void {
    for (const entry of stored) {
      this.committedThrough = Math.max(this.committedThrough, entry.sequence)
      for (const change of entry.changes) {
        if (change.kind !== 'insert') continue
        const end = change.clock + change.length
        if (end > (this.storedStateVector.get(change.client) ?? 0)) this.storedStateVector.set(change.client, end)
      }
    }
    let message: Uint8Array | null = null
    for (const connection of this.connections) {
      if (connection.awaitingSaveThrough === 0 || connection.awaitingSaveThrough > this.committedThrough) continue
      connection.awaitingSaveThrough = 0
      connection.send((message ??= savedMessage(Y.encodeStateVector(this.storedStateVector))))
    }
  }

  /** Storing failed: those waiting may not believe "Saved" until a later commit succeeds. */
  handleSaveFailed(): void {
    const message = saveFailedMessage('The server could not store the latest changes. It keeps trying; keep this page open.')
    for (const connection of this.connections) if (connection.awaitingSaveThrough > 0) connection.send(message)
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

  /** The whole document as one update, with its state vector, for snapshots. */
  encodeState(): EncodedState {
    return (this.encoded ??= { update: Y.encodeStateAsUpdate(this.doc), stateVector: Y.encodeStateVector(this.doc) })
  }

  destroy(): void {
    // Tells other instances these carets left.
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer)
    this.awarenessTimer = null
    this.broadcastAwareness()
    this.awareness.doc.destroy()
    this.awareness.destroy()
    this.liveDoc?.destroy()
  }

  private buildDoc(): Y.Doc {
    const doc = new Y.Doc()
    const stored = this.stored!
    this.stored = null
    Y.transact(
      doc,
      () => {
        if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
        for (const update of stored.updates) Y.applyUpdate(doc, update)
      },
      STORAGE_ORIGIN,
    )
    // Stored updates that do not fit together (one lost or damaged) would leave text Yjs holds
    // back unseen; serving the rest as the document would hide that, and edits would bury it.
    if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
      doc.destroy()
      throw new Error('the stored updates do not fit together: some text builds on an update that is missing')
    }
    doc.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) =>
      this.handleDocumentUpdate(update, origin, transaction),
    )
    return doc
  }

  private handleDocumentUpdate(update: Uint8Array, origin: unknown, transaction: Y.Transaction): void {
    this.encoded = null
    if (origin instanceof StoredElsewhere) {
      this.recordStoredElsewhere(origin.userId, transaction)
    } else {
      const author = origin instanceof Connection ? origin : null
      const userId = author?.user.id ?? (origin instanceof ServerEdit ? origin.userId : null)
      this.sinceCheckpoint.edits++
      this.sinceCheckpoint.lastAt = Date.now()
      if (userId !== null) this.sinceCheckpoint.editors.add(userId)
      this.updateLog.append({
        sequence: ++this.appended,
        documentId: this.documentId,
        data: update,
        userId,
        changes: changesOf(transaction),
      })
    }
    // Not back to its author: a write is applied only when everything it builds on is here
    // (updatePolicy), so nothing held back completes with it and it carries nothing they lack.
    this.broadcast(updateMessage(update), origin instanceof Connection ? origin : null)
    this.broadcastAwarenessWithEdit()
    for (const connection of this.connections) {
      const waiting = connection.waitingForText
      if (!waiting || ![...waiting].some((client) => (transaction.afterState.get(client) ?? 0) > (transaction.beforeState.get(client) ?? 0))) continue
      connection.waitingForText = null
      connection.send(syncStep1Message(Y.encodeStateVector(this.doc)))
    }
  }

  /** Text another instance stored is on disk already: it counts as stored, and its client ids as claimed. */
  private recordStoredElsewhere(userId: number | null, transaction: Y.Transaction): void {
    for (const [client, after] of transaction.afterState) {
      if (after <= (transaction.beforeState.get(client) ?? 0)) continue
      if (after > (this.storedStateVector.get(client) ?? 0)) this.storedStateVector.set(client, after)
      if (userId !== null && !this.clientOwners.has(client)) this.clientOwners.set(client, userId)
    }
  }

  /**
   * At the end of this turn, after every message read with the edit, unless carets went out less
   * than AWARENESS_WITH_EDITS_EVERY_MS ago (then they wait for a later edit or the timer): the
   * turn's outgoing frames are written together (writeBatching), so the carets cost no write of
   * their own.
   */
  private broadcastAwarenessWithEdit(): void {
    if (this.awarenessWithEditQueued) return
    this.awarenessWithEditQueued = true
    process.nextTick(() => {
      this.awarenessWithEditQueued = false
      if (performance.now() - this.lastAwarenessBroadcastAt >= AWARENESS_WITH_EDITS_EVERY_MS) this.broadcastAwareness()
    })
  }

  /** The timer's turn: what waited its time goes out; what came since the last edit waits on. */
  private broadcastStaleAwareness(): void {
    this.awarenessTimer = null
    if (this.awarenessChanged.size === 0) return
    const waited = performance.now() - this.awarenessPendingSince
    if (waited >= AWARENESS_BATCH_MS - 1) this.broadcastAwareness()
    else this.awarenessTimer = setTimeout(() => this.broadcastStaleAwareness(), AWARENESS_BATCH_MS - waited)
  }

  private broadcastAwareness(): void {
    if (this.awarenessChanged.size === 0) return
    const changed = [...this.awarenessChanged]
    this.awarenessChanged.clear()
    this.lastAwarenessBroadcastAt = performance.now()
    this.broadcast(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)))
    if (this.ownAwarenessChanged.size === 0) return
    const own = [...this.ownAwarenessChanged]
    this.ownAwarenessChanged.clear()
    this.relay?.awareness(this.documentId, awarenessProtocol.encodeAwarenessUpdate(this.awareness, own))
  }

  /** Whether `connection` may speak for awareness `clientId`; if so, it is now its own. */
  private claimClientId(connection: Connection, clientId: number): boolean {
    if (!connection.awarenessClientIds.has(clientId) && connection.awarenessClientIds.size >= MAX_AWARENESS_CLIENTS_PER_SOCKET) {
      this.log.warn('refused an awareness update for one client id too many', { documentId: this.documentId, user: connection.user.username })
      return false
    }
    const owner = this.awarenessOwners.get(clientId)
    if (owner !== undefined && owner !== connection) {
      // y-websocket clients echo the carets they see; only an impostor's would matter, and it is dropped.
      this.log.debug('dropped an awareness entry for another connection’s client id', {
        documentId: this.documentId,
        user: connection.user.username,
      })
      return false
    }
    connection.awarenessClientIds.add(clientId)
    this.awarenessOwners.set(clientId, connection)
    return true
  }

  private broadcast(message: Uint8Array, except: Connection | null = null): void {
    const frame = binaryFrame(message)
    for (const connection of this.connections) if (connection !== except) connection.sendFrame(frame)
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

interface EncodedState {
  update: Uint8Array
  stateVector: Uint8Array
}

interface AwarenessChanges {
  added: number[]
  updated: number[]
  removed: number[]
}
