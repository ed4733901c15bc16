import { CloseCode, type Person } from '@accord/shared'
import type { Logger } from '../logger.js'
import type { UpdateEntry, UpdateLog } from '../persistence/updateLog.js'
import type { Admit } from './admission.js'
import type { Connection } from './connection.js'
import * as Y from 'yjs'
import { Room, ServerEdit, type RoomRelay } from './room.js'
import { checkDocument } from './schemaCheck.js'

/** Loads beyond this many updates since the last snapshot write a new one, so loads stay fast. */
const SNAPSHOT_AFTER_UPDATES = 200
const HEARTBEAT_MS = 30_000
const UNLOAD_RETRY_MS = 100
const SHUTDOWN_DRAIN_MS = 10_000
/** A burst of editing counts as over after this long without an edit; it then gets a checkpoint. */
export const CHECKPOINT_AFTER_IDLE_MS = 5 * 60_000

/** What the history (versions, activity) hears from the live documents. */
export interface RoomHooks {
  /** Store the state as an automatic checkpoint; `editors` changed it since the last version. */
  checkpoint(documentId: string, state: { update: Uint8Array; stateVector: Uint8Array }, editors: ReadonlySet<number>): unknown
  /** Someone opened the document. */
  joined(documentId: string, userId: number): void | Promise<void>
}

const NO_HOOKS: RoomHooks = { checkpoint: () => {}, joined: () => {} }

/**
 * The other instances of the deployment, when there are several (cluster/). Every method is
 * called after the fact and must not throw.
 */
export interface RoomCluster extends RoomRelay {
  /** A document opened here: hear the others' updates and carets for it, and catch up with the database. */
  opened(room: Room): void
  /**
   * Someone joined it here, perhaps from an instance that stopped: catch up with the database
   * before applying their writes (`Room.holdWrites`), which may repeat what is stored already.
   */
  joined(room: Room, connection: Connection): void
  closed(documentId: string): void
  /** Updates this instance received and has now stored: tell the others. */
  committed(documentId: string, updates: readonly UpdateEntry[]): void
  /** Write the document's snapshot from the stored rows (this memory may lack another's newest update). */
  writeSnapshot(documentId: string): void
  /** Someone's access changed: the others re-check their sockets and streams now, not at their next heartbeat. */
  accessChanged(filter: AccessFilter): void
}

export interface AccessFilter {
  documentId?: string
  userId?: number
}

/**
 * The live documents. A document is loaded when its first person connects and leaves memory
 * when its last person leaves, but only once its updates are on disk.
 */
export class Rooms {
  private readonly rooms = new Map<string, Room>()
  private readonly loading = new Map<string, Promise<Room>>()
  private readonly heartbeat: NodeJS.Timeout

  constructor(
    private readonly updateLog: UpdateLog,
    private readonly admit: Admit,
    private readonly log: Logger,
    private readonly hooks: RoomHooks = NO_HOOKS,
    private readonly cluster: RoomCluster | null = null,
  ) {
    this.heartbeat = setInterval(() => {
      this.forEachConnection((connection) => connection.heartbeat())
      // Also catches changes made outside this process (the CLI) and sessions that expired.
      void this.recheckAccess({}, false)
      this.checkpointQuietRooms(Date.now())
    }, HEARTBEAT_MS)
    this.heartbeat.unref()
  }

  /** Loads the document if needed, then puts the (paused) connection in its room and lets it speak. */
  async join(connection: Connection): Promise<void> {
    let room: Room
    try {
      room = await this.open(connection.documentId)
    } catch (error) {
      // Never answer with an empty document, and never let one overwrite what is stored.
      this.log.error('cannot load document', { documentId: connection.documentId, error })
      connection.ws.resume()
      connection.close(CloseCode.Unavailable, 'Document unavailable')
      return
    }
    if (connection.ws.readyState !== connection.ws.OPEN) {
      // It left while the document loaded.
      if (room.connections.size === 0) this.unload(room)
      return
    }
    room.join(connection)
    this.cluster?.joined(room, connection)
    connection.ws.resume()
    Promise.resolve(this.hooks.joined(connection.documentId, connection.user.id)).catch((error: unknown) =>
      this.log.warn('could not record a join', { documentId: connection.documentId, error }),
    )
  }

  /**
   * An edit by the server on a person's behalf, through the live document like any other
   * write (so it is recorded, attributed and broadcast), e.g. a new document's starting text.
   * Resolves once it is stored.
   */
  async applyServerEdit(documentId: string, userId: number, edit: (doc: Y.Doc) => void): Promise<void> {
    const room = await this.open(documentId)
    Y.transact(room.doc, () => edit(room.doc), new ServerEdit(userId))
    await this.updateLog.stored(documentId)
    if (room.connections.size === 0) this.unload(room)
  }

  /**
   * The current state as one update with its state vector, once everything in it is on disk
   * (so a version never holds text the update log could lose). `onState` runs synchronously
   * with it, before any other write can land; a caller storing it as a version calls
   * `markCheckpointed`, which answers who edited since the last version.
   */
  async currentState<T>(
    documentId: string,
    onState: (state: { update: Uint8Array; stateVector: Uint8Array }, markCheckpointed: () => ReadonlySet<number>) => T,
  ): Promise<T> {
    await this.updateLog.stored(documentId)
    const room = this.rooms.get(documentId)
    if (room) return onState(room.encodeState(), () => room.markCheckpointed())
    const updates = await this.stateUpdates(documentId)
    // The room may have opened while the rows were read: its state is the current one then.
    const opened = this.rooms.get(documentId)
    if (opened) return onState(opened.encodeState(), () => opened.markCheckpointed())
    const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates)
    return onState({ update, stateVector: Y.encodeStateVectorFromUpdate(update) }, () => new Set())
  }

  /** The document's current state for a reader outside the room (exports): live if open, else as stored. */
  async stateUpdates(documentId: string): Promise<Uint8Array[]> {
    const room = this.rooms.get(documentId)
    if (room) return [room.encodeState().update]
    const stored = await this.updateLog.load(documentId)
    return stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates
  }

  /** The open document, if it is open on this instance. */
  live(documentId: string): Room | undefined {
    return this.rooms.get(documentId)
  }

  liveRooms(): IterableIterator<Room> {
    return this.rooms.values()
  }

  people(documentId: string): Person[] {
    return this.rooms.get(documentId)?.people() ?? []
  }

  handleCommitted(updates: readonly UpdateEntry[]): void {
    const byDocument = new Map<string, UpdateEntry[]>()
    for (const update of updates) {
      const list = byDocument.get(update.documentId)
      if (list) list.push(update)
      else byDocument.set(update.documentId, [update])
    }
    for (const [documentId, stored] of byDocument) {
      this.rooms.get(documentId)?.handleCommitted(stored)
      this.cluster?.committed(documentId, stored)
    }
  }

  handleSaveFailed(documentIds: ReadonlySet<string>): void {
    for (const documentId of documentIds) this.rooms.get(documentId)?.handleSaveFailed()
  }

  /**
   * Checks the matching connections' access again (after a role change, a removal, a
   * deactivation). A connection whose rights changed is closed; the client reconnects and is
   * admitted under its new rights, or told why it cannot be.
   */
  async recheckAccess(filter: AccessFilter, tellOtherInstances = true): Promise<void> {
    if (tellOtherInstances) this.cluster?.accessChanged(filter)
    const rechecks: Promise<void>[] = []
    this.forEachConnection((connection) => {
      if (filter.documentId !== undefined && connection.documentId !== filter.documentId) return
      if (filter.userId !== undefined && connection.user.id !== filter.userId) return
      rechecks.push(
        this.recheckConnection(connection).catch((error: unknown) =>
          this.log.warn('could not recheck a socket\'s access', { documentId: connection.documentId, error }),
        ),
      )
    })
    await Promise.all(rechecks)
  }

  private async recheckConnection(connection: Connection): Promise<void> {
    const result = await this.admit(connection.admission.sessionToken, connection.documentId)
    if (!result.ok && result.code === CloseCode.Unauthorized) {
      connection.close(CloseCode.Unauthorized, result.reason)
    } else if (
      !result.ok ||
      result.admission.role !== connection.admission.role ||
      result.admission.canEdit !== connection.admission.canEdit
    ) {
      connection.close(CloseCode.AccessChanged, 'Your access to this document changed')
    }
  }

  /** For shutdown: everything queued goes to disk, then everyone is told the server is going away. */
  async closeAll(): Promise<void> {
    clearInterval(this.heartbeat)
    if (!(await this.updateLog.drain(SHUTDOWN_DRAIN_MS))) this.log.error('shutting down with updates not stored')
    this.forEachConnection((connection) => connection.close(CloseCode.GoingAway, 'The server is restarting'))
  }

  /** The document's room, loading it (once, however many join at the same moment) when it is not open. */
  private open(documentId: string): Promise<Room> {
    const existing = this.rooms.get(documentId)
    if (existing) return Promise.resolve(existing)
    let loading = this.loading.get(documentId)
    if (!loading) {
      loading = this.load(documentId).finally(() => this.loading.delete(documentId))
      this.loading.set(documentId, loading)
    }
    return loading
  }

  private async load(documentId: string): Promise<Room> {
    const stored = await this.updateLog.load(documentId)
    const room = new Room(documentId, stored, this.updateLog, this.log, (empty) => this.unload(empty), this.cluster)
    if (stored.updates.length > SNAPSHOT_AFTER_UPDATES) this.snapshot(room)
    this.rooms.set(documentId, room)
    this.cluster?.opened(room)
    return room
  }

  /** Stores the room's state as its document's snapshot; only while nothing of it is pending. */
  private snapshot(room: Room): void {
    if (this.cluster) return this.cluster.writeSnapshot(room.documentId)
    try {
      checkDocument(room.doc)
    } catch (error) {
      // Keep serving it (people can repair it) but never bake an invalid state into a snapshot.
      this.log.error('document fails the schema check; not writing a snapshot', { documentId: room.documentId, error })
      return
    }
    this.updateLog
      .writeSnapshot(room.documentId, room.encodeState())
      .catch((error: unknown) => this.log.error('could not store a snapshot', { documentId: room.documentId, error }))
  }

  private unload(room: Room): void {
    if (room.connections.size > 0 || this.rooms.get(room.documentId) !== room) return
    if (this.updateLog.hasPending(room.documentId)) {
      // Keep the document in memory until its updates are safely stored.
      setTimeout(() => this.unload(room), UNLOAD_RETRY_MS).unref()
      return
    }
    // The next load then starts from one snapshot, without decoding anything (bench scenario 3).
    if (room.needsSnapshot) this.snapshot(room)
    if (room.uncheckpointedSince > 0) this.checkpoint(room)
    this.rooms.delete(room.documentId)
    room.destroy()
    this.cluster?.closed(room.documentId)
  }

  /** A checkpoint for every document whose burst of editing has ended, once its edits are on disk. */
  checkpointQuietRooms(now: number): void {
    for (const room of this.rooms.values()) {
      const since = room.uncheckpointedSince
      if (since === 0 || now - since < CHECKPOINT_AFTER_IDLE_MS || this.updateLog.hasPending(room.documentId)) continue
      this.checkpoint(room)
    }
  }

  private checkpoint(room: Room): void {
    const failed = (error: unknown) => this.log.error('could not store a checkpoint', { documentId: room.documentId, error })
    try {
      Promise.resolve(this.hooks.checkpoint(room.documentId, room.encodeState(), room.markCheckpointed())).catch(failed)
    } catch (error) {
      failed(error)
    }
  }

  private forEachConnection(visit: (connection: Connection) => void): void {
    for (const room of this.rooms.values()) for (const connection of room.connections) visit(connection)
  }
}
