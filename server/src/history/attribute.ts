import { AFFILIATION_LABELS, type Affiliation } from '@accord/shared'
import type { RunChange } from '@accord/shared/export'
import type { AttributionStore } from '../persistence/attribution.js'
import type { Attribute } from './redline.js'

/** How a redline names a person. */
export interface NamedPerson {
  author: string
  username: string | null
  affiliation: string
}

/** Every account by id, as a redline names it; passed to the export worker with the job. */
export type People = Record<number, NamedPerson>

/** Which changes a redline marks: one person's, or one affiliation's (both when both are given). */
export interface RedlineFilter {
  username?: string
  affiliation?: Affiliation
}

const UNKNOWN: NamedPerson = { author: 'Unknown', username: null, affiliation: '' }

export const namePerson = (user: { displayName: string; username: string; affiliation: Affiliation }): NamedPerson => ({
  author: user.displayName,
  username: user.username,
  affiliation: AFFILIATION_LABELS[user.affiliation],
})

/** Who made the change that inserted (or deleted) a Yjs id, from the update log's attribution rows. */
export function attributeWith(store: Pick<AttributionStore, 'historyOf'>, documentId: string, people: People): Attribute {
  return (kind, client, clock) => {
    const history = store.historyOf(documentId, client, clock)
    const made = kind === 'insert' ? history.inserted : history.deleted
    const person = made?.userId == null ? UNKNOWN : (people[made.userId] ?? UNKNOWN)
    return { kind, ...person, at: new Date(made?.at ?? 0).toISOString() }
  }
}

export function includeOnly(filter: RedlineFilter): (change: RunChange) => boolean {
  return (change) =>
    (filter.username === undefined || change.username === filter.username) &&
    (filter.affiliation === undefined || change.affiliation === AFFILIATION_LABELS[filter.affiliation])
}
