import { AFFILIATION_LABELS, type Affiliation } from '@accord/shared'
import { changeList, type ExportModel, type RunChange } from '@accord/shared/export'
import * as Y from 'yjs'
import type { Logger } from '../logger.js'
import type { ActivityStore } from '../persistence/activity.js'
import type { AttributionStore } from '../persistence/attribution.js'
import type { UserStore } from '../persistence/users.js'
import type { VersionKind, VersionRecord, VersionStore } from '../persistence/versions.js'
import { buildRedline, type Attribute } from './redline.js'

const EMPTY_STATE = Y.encodeStateAsUpdate(new Y.Doc())

export interface State {
  update: Uint8Array
  stateVector: Uint8Array
}

/** Which changes a redline marks: one person's, or one affiliation's (both when both are given). */
export interface RedlineFilter {
  username?: string
  affiliation?: Affiliation
}

/**
 * Versions, redlines and the activity they feed. Storing a version also records, for the
 * activity feed, which clauses each person edited since the previous version.
 */
export class DocumentHistory {
  constructor(
    readonly versions: VersionStore,
    readonly activity: ActivityStore,
    private readonly attribution: AttributionStore,
    private readonly users: UserStore,
    private readonly log: Logger,
  ) {}

  save(documentId: string, state: State, version: { name: string; kind: VersionKind; userId: number | null }, editors: ReadonlySet<number>): VersionRecord {
    const previous = this.versions.list(documentId)[0]
    const saved = this.versions.create({
      documentId,
      name: version.name,
      kind: version.kind,
      createdBy: version.userId,
      createdAt: Date.now(),
      state: state.update,
      stateVector: state.stateVector,
    })
    if (version.kind === 'named') this.activity.record(documentId, version.userId, 'versionSaved', version.name)
    if (editors.size > 0) this.recordEdits(documentId, previous ? this.versions.state(previous.id) : null, state.update)
    return saved
  }

  redline(documentId: string, title: string, from: Uint8Array, to: Uint8Array, filter: RedlineFilter = {}): ExportModel {
    const include = (change: RunChange) =>
      (filter.username === undefined || change.username === filter.username) &&
      (filter.affiliation === undefined || change.affiliation === AFFILIATION_LABELS[filter.affiliation])
    return buildRedline({ title, from, to, attribute: this.attributeFor(documentId), include })
  }

  /** "Maria Ortega edited Section 2.1, 4": one activity row per person, from the redline since the last version. */
  private recordEdits(documentId: string, previous: Uint8Array | null, current: Uint8Array): void {
    previous ??= EMPTY_STATE
    try {
      const model = buildRedline({ title: '', from: previous, to: current, attribute: this.attributeFor(documentId) })
      for (const [username, places] of changedPlaces(model)) {
        const user = this.users.byUsername(username)
        if (user) this.activity.record(documentId, user.id, 'edited', listPlaces([...places]))
      }
    } catch (error) {
      this.log.warn('could not summarize the edits since the last version', { documentId, error })
    }
  }

  private attributeFor(documentId: string): Attribute {
    const people = new Map<number, { author: string; username: string | null; affiliation: string }>()
    const personOf = (userId: number | null) => {
      if (userId === null) return { author: 'Unknown', username: null, affiliation: '' }
      let person = people.get(userId)
      if (!person) {
        const user = this.users.byId(userId)
        person = user
          ? { author: user.displayName, username: user.username, affiliation: AFFILIATION_LABELS[user.affiliation] }
          : { author: 'Unknown', username: null, affiliation: '' }
        people.set(userId, person)
      }
      return person
    }
    return (kind, client, clock) => {
      const history = this.attribution.historyOf(documentId, client, clock)
      const made = kind === 'insert' ? history.inserted : history.deleted
      return { kind, ...personOf(made?.userId ?? null), at: new Date(made?.at ?? 0).toISOString() }
    }
  }
}

/** For each person, the clauses (by number) whose text they changed. */
export function changedPlaces(model: ExportModel): Map<string, Set<string>> {
  const places = new Map<string, Set<string>>()
  for (const { change, clause } of changeList(model)) {
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
