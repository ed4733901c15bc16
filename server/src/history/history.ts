import type { ExportFormat } from '@accord/shared'
import type { ListedChange } from '@accord/shared/export'
import * as Y from 'yjs'
import type { ExportRunner } from '../export/runner.js'
import type { ExportResult } from '../export/render.js'
import { isoDate } from '../export/stamp.js'
import type { Logger } from '../logger.js'
import type { ActivityStore } from '../persistence/activity.js'
import type { StorageLocation } from '../persistence/storage.js'
import type { UserStore } from '../persistence/users.js'
import type { VersionKind, VersionRecord, VersionStore } from '../persistence/versions.js'
import { namePerson, type People, type RedlineFilter } from './attribute.js'

const EMPTY_STATE = Y.encodeStateAsUpdate(new Y.Doc())
/** Background work (the feed's "who edited what") waits this long between looks for idle export workers. */
const QUIET_RETRY_MS = 500

export interface State {
  update: Uint8Array
  stateVector: Uint8Array
}

/** One side of a redline: a state and the name the redline calls it by. */
export interface RedlineSide {
  name: string
  state: Uint8Array
}

/**
 * Versions, redlines and the activity they feed. Redlines are built in the export workers
 * (seconds of work for a long MOU with a long history), which read the attribution rows from
 * their own read-only connection. Storing a version also records, for the activity feed,
 * which clauses each person edited since the previous version.
 */
export class DocumentHistory {
  constructor(
    readonly versions: VersionStore,
    readonly activity: ActivityStore,
    private readonly users: UserStore,
    private readonly exports: ExportRunner,
    private readonly database: StorageLocation,
    private readonly log: Logger,
  ) {}

  private background: Promise<void> = Promise.resolve()
  private closed = false

  /** Lets queued background work finish (or be dropped) before the export workers stop. */
  async close(): Promise<void> {
    this.closed = true
    await this.background
    await this.activity.flushJoins()
  }

  async save(documentId: string, state: State, version: { name: string; kind: VersionKind; userId: number | null }, editors: ReadonlySet<number>): Promise<VersionRecord> {
    const previous = await this.versions.latest(documentId)
    const saved = await this.versions.create({
      documentId,
      name: version.name,
      kind: version.kind,
      createdBy: version.userId,
      createdAt: Date.now(),
      state: state.update,
      stateVector: state.stateVector,
    })
    if (version.kind === 'named') await this.activity.record(documentId, version.userId, 'versionSaved', version.name)
    if (editors.size > 0) {
      // The previous state (megabytes for a long MOU) is read when the summary runs, not on the
      // unload or heartbeat that stored this version.
      this.whenQuiet(async () =>
        this.recordEdits(documentId, previous ? await this.versions.state(previous.id) : EMPTY_STATE, state.update, saved.createdAt),
      )
    }
    return saved
  }

  /** A redline in `formats` (none: only its changes), rendered by an export worker. */
  async redline(
    documentId: string,
    title: string,
    sides: { from: RedlineSide; to: RedlineSide },
    formats: ExportFormat[],
    filter: RedlineFilter = {},
    purpose: 'download' | 'background' = 'download',
  ): Promise<ExportResult> {
    const now = Date.now()
    return this.exports.run({
      title,
      updates: [],
      formats,
      stamp: { versionLabel: `Redline ${isoDate(now)}`, date: isoDate(now), final: false },
      threads: null,
      redline: {
        documentId,
        database: this.database,
        from: sides.from.state,
        to: sides.to.state,
        names: { from: sides.from.name, to: sides.to.name },
        people: await this.people(),
        filter,
      },
    }, purpose)
  }

  /** "Maria Ortega edited Section 2.1, Section 4": one activity row per person, from the redline since the last version. */
  private async recordEdits(documentId: string, previous: Uint8Array, current: Uint8Array, at: number): Promise<void> {
    try {
      const result = await this.redline(documentId, '', { from: { name: '', state: previous }, to: { name: '', state: current } }, [], {}, 'background')
      for (const [username, places] of changedPlaces(result.redline?.changes ?? [])) {
        const user = await this.users.byUsername(username)
        if (user) await this.activity.record(documentId, user.id, 'edited', listPlaces([...places]), at)
      }
    } catch (error) {
      // Busy export workers or a failure cost the feed a line, never the version.
      this.log.warn('could not summarize the edits since the last version', { documentId, error })
    }
  }

  /**
   * One background job at a time, and only while no export runs: people's own exports and
   * redlines always find a free worker (the runner refuses rather than queues).
   */
  private whenQuiet(task: () => Promise<void>): void {
    this.background = this.background.then(async () => {
      while (!this.closed && this.exports.busy) await new Promise((resolve) => setTimeout(resolve, QUIET_RETRY_MS).unref())
      if (!this.closed) await task().catch((error: unknown) => this.log.warn('background history work failed', { error }))
    })
  }

  private async people(): Promise<People> {
    const people: People = {}
    for (const user of await this.users.list()) people[user.id] = namePerson(user)
    return people
  }
}

/** For each person, the clauses (by number) whose text they changed. */
export function changedPlaces(changes: readonly ListedChange[]): Map<string, Set<string>> {
  const places = new Map<string, Set<string>>()
  for (const { change, clause } of changes) {
    if (!change.username) continue
    let set = places.get(change.username)
    if (!set) places.set(change.username, (set = new Set()))
    set.add(clause ? `Section ${clause}` : 'the text outside clauses')
  }
  return places
}

/** "Section 1, Section 2.1 and 4 more": a feed line stays a line. */
function listPlaces(places: string[]): string {
  const shown = places.slice(0, 4).join(', ')
  return places.length > 4 ? `${shown} and ${places.length - 4} more` : shown
}
