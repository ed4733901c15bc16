import { z } from 'zod'
import { AFFILIATIONS, DOCUMENT_STATUSES, ROLES } from '../protocol/roles.js'

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9][a-z0-9._-]{1,39}$/,
    'Usernames are 2 to 40 characters: letters, digits, dots, dashes or underscores.',
  )

export const passwordSchema = z
  .string()
  .min(10, 'Passwords need at least 10 characters.')
  .max(200, 'Passwords may have at most 200 characters.')

export const displayNameSchema = z
  .string()
  .trim()
  .min(1, 'A display name is required.')
  .max(80, 'Display names may have at most 80 characters.')

export const affiliationSchema = z.enum(AFFILIATIONS, {
  error: `Affiliation must be one of: ${AFFILIATIONS.join(', ')}.`,
})
export const roleSchema = z.enum(ROLES, { error: `Role must be one of: ${ROLES.join(', ')}.` })
export const documentStatusSchema = z.enum(DOCUMENT_STATUSES)
/** The statuses a PATCH may set; a document becomes and stops being final only by finalize and reopen. */
export const settableDocumentStatusSchema = z.enum(['active', 'archived'], {
  error: 'Status must be active or archived; use finalize and reopen for the Final.',
})

export const documentTitleSchema = z
  .string()
  .trim()
  .min(1, 'A title is required.')
  .max(200, 'Titles may have at most 200 characters.')

/** Document ids are UUIDs; anything else is refused before it reaches storage. */
export const documentIdSchema = z.uuid({ error: 'That is not a document id.' })
