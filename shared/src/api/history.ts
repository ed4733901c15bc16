import { z } from 'zod'
import type { Person } from './responses.js'
import { affiliationSchema, usernameSchema } from './fields.js'

/** Requests and replies of a document's history: versions, redlines, restores and the activity feed. */

export const VERSION_NAME_MAX = 120

export const createVersionRequest = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, 'Give the version a name, such as "Draft for the June 4 meeting".')
    .max(VERSION_NAME_MAX, `A version's name may have at most ${VERSION_NAME_MAX} characters.`)
    .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'A version name may not contain control characters.'),
})
export type CreateVersionRequest = z.infer<typeof createVersionRequest>

/** A version's id as it appears in a path or query: a positive integer. */
export const versionIdSchema = z.coerce.number({ error: 'That is not a version id.' }).int().positive().max(Number.MAX_SAFE_INTEGER)

/** `current` is the live document as it is now. */
const versionRef = z.union([z.literal('current'), z.string().regex(/^[1-9][0-9]{0,15}$/, 'from and to must be version ids or "current".')])

export const REDLINE_FORMATS = ['html', 'docx', 'pdf', 'json'] as const
export type RedlineFormat = (typeof REDLINE_FORMATS)[number]

export const redlineQuery = z.strictObject({
  from: versionRef,
  to: versionRef.default('current'),
  format: z.enum(REDLINE_FORMATS, { error: `Format must be one of: ${REDLINE_FORMATS.join(', ')}.` }).default('html'),
  /** Only this person's changes are marked (a username). */
  person: usernameSchema.optional(),
  /** Only changes by people of this affiliation are marked. */
  affiliation: affiliationSchema.optional(),
  disposition: z.enum(['attachment', 'inline'], { error: 'disposition must be attachment or inline.' }).optional(),
})
export type RedlineQuery = z.input<typeof redlineQuery>

export interface VersionSummary {
  id: number
  name: string
  /** `automatic`: a checkpoint the server took (after a burst of editing, when the document was closed, before a restore). */
  kind: 'named' | 'automatic'
  createdBy: Person | null
  createdAt: string
}

export interface RestoreResult {
  /** The checkpoint of the text just before the restore: restore it to undo the restore. */
  before: VersionSummary
  restored: VersionSummary
}

export interface RedlineChange {
  kind: 'insert' | 'delete'
  text: string
  author: string
  username: string | null
  affiliation: string
  at: string
  /** The clause's number where the change is, null outside clauses. */
  clause: string | null
}

/** A clause moved (unchanged) from where it was numbered `from` to where it is numbered `clause`. */
export interface RedlineMove {
  clause: string
  from: string
  author: string
  username: string | null
  affiliation: string
  at: string
}

export interface RedlineSummary {
  from: string
  to: string
  changes: RedlineChange[]
  moves: RedlineMove[]
}

export const ACTIVITY_KINDS = [
  'joined',
  'edited',
  'commented',
  'resolved',
  'versionSaved',
  'restored',
  'exported',
  'finalized',
  'reopened',
] as const
export type ActivityKind = (typeof ACTIVITY_KINDS)[number]

export interface ActivityItem {
  kind: ActivityKind
  person: Person | null
  /** Completes the sentence: the clauses edited, the quoted text, the version's name, the format. */
  detail: string
  at: string
}
