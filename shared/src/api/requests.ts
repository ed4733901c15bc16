import { z } from 'zod'
import { TEMPLATE_CATEGORIES, type ClauseSource } from '../templates/source.js'
import {
  affiliationSchema,
  displayNameSchema,
  documentTitleSchema,
  passwordSchema,
  roleSchema,
  settableDocumentStatusSchema,
  usernameSchema,
} from './fields.js'

export const loginRequest = z.strictObject({
  username: z.string().trim().toLowerCase().min(1).max(100),
  password: z.string().min(1).max(200),
})

export const setupRequest = z.strictObject({
  token: z.string().min(1).max(200),
  username: usernameSchema,
  password: passwordSchema,
  displayName: displayNameSchema,
  affiliation: affiliationSchema,
})

export const createUserRequest = z.strictObject({
  username: usernameSchema,
  password: passwordSchema,
  displayName: displayNameSchema,
  affiliation: affiliationSchema,
  isAdmin: z.boolean().default(false),
})

export const updateUserRequest = z.strictObject({
  displayName: displayNameSchema.optional(),
  affiliation: affiliationSchema.optional(),
  isAdmin: z.boolean().optional(),
  active: z.boolean().optional(),
})

export const resetPasswordRequest = z.strictObject({ password: passwordSchema })

export const createDocumentRequest = z.strictObject({
  title: documentTitleSchema,
  /** Start from the model MOU (the starter clauses assembled into a draft) instead of a blank page. */
  startFrom: z.enum(['blank', 'model']).default('blank'),
})

export const updateDocumentRequest = z
  .strictObject({
    title: documentTitleSchema.optional(),
    status: settableDocumentStatusSchema.optional(),
  })
  .refine((body) => body.title !== undefined || body.status !== undefined, {
    message: 'Send a title or a status to change.',
  })

export const setMemberRequest = z.strictObject({ role: roleSchema })

/** Template text is plain text: markup would only ever show as literal characters, so refuse it. */
const MARKUP = /<\/?[a-z!?][^>]*>|javascript:|[\u0000-\u0008\u000b\u000c\u000e-\u001f]/i
const plainText = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} may not be empty.`)
    .max(max, `${what} may have at most ${max} characters.`)
    .refine((text) => !MARKUP.test(text), `${what} may not contain HTML, scripts or control characters.`)

export const clauseSourceSchema: z.ZodType<ClauseSource> = z.lazy(() =>
  z.strictObject({
    title: plainText(200, 'A clause title'),
    body: z.array(plainText(5000, 'A paragraph')).max(30, 'A clause may have at most 30 paragraphs.'),
    subclauses: z.array(clauseSourceSchema).max(20, 'A clause may have at most 20 sub-clauses.').optional(),
  }),
)

const depthOf = (source: ClauseSource): number => 1 + Math.max(0, ...(source.subclauses ?? []).map(depthOf))

export const templateRequest = z
  .strictObject({
    title: plainText(200, 'A clause title'),
    category: z.enum(TEMPLATE_CATEGORIES, { error: `Category must be one of: ${TEMPLATE_CATEGORIES.join(', ')}.` }),
    summary: plainText(300, 'The summary'),
    body: z.array(plainText(5000, 'A paragraph')).max(30, 'A clause may have at most 30 paragraphs.'),
    subclauses: z.array(clauseSourceSchema).max(20, 'A clause may have at most 20 sub-clauses.').optional(),
  })
  .refine((template) => depthOf(template) <= 3, 'Clauses nest at most three levels deep.')
  .refine((template) => JSON.stringify(template).length <= 40_000, 'A template may hold at most 40,000 characters.')

/** Comments are plain text people write; markup and scripts are refused like in templates. */
export const COMMENT_MAX = 5000
export const QUOTE_MAX = 2000
const commentBody = plainText(COMMENT_MAX, 'A comment')

/** A Yjs relative position, encoded (`Y.encodeRelativePosition`) and base64'd by the client. */
const encodedPosition = z
  .string()
  .max(1000, 'An anchor position may have at most 1000 characters.')
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'An anchor position must be base64.')

export const commentAnchorSchema = z.strictObject({
  start: encodedPosition,
  end: encodedPosition,
  clauseId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'That is not a clause id.').nullable(),
})

export const createThreadRequest = z.strictObject({
  body: commentBody,
  /** The anchored text as it read when the comment was written: document text, shown as text, never as markup. */
  quote: z
    .string()
    .min(1, 'Select some text to comment on.')
    .max(QUOTE_MAX, `The quoted text may have at most ${QUOTE_MAX} characters; select less.`)
    .refine((text) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text), 'The quoted text may not contain control characters.'),
  anchor: commentAnchorSchema,
})

export const replyRequest = z.strictObject({ body: commentBody })
export const editCommentRequest = z.strictObject({ body: commentBody })
export const threadStatusRequest = z.strictObject({
  status: z.enum(['open', 'resolved'], { error: 'Status must be "open" or "resolved".' }),
})

/** Thread and comment ids are UUIDs. */
export const threadIdSchema = z.uuid()

export type LoginRequest = z.infer<typeof loginRequest>
export type SetupRequest = z.infer<typeof setupRequest>
export type CreateUserRequest = z.input<typeof createUserRequest>
export type UpdateUserRequest = z.infer<typeof updateUserRequest>
export type CreateDocumentRequest = z.input<typeof createDocumentRequest>
export type UpdateDocumentRequest = z.infer<typeof updateDocumentRequest>
export type SetMemberRequest = z.infer<typeof setMemberRequest>
export type TemplateRequest = z.infer<typeof templateRequest>
export type CreateThreadRequest = z.infer<typeof createThreadRequest>
export type ThreadStatusRequest = z.infer<typeof threadStatusRequest>
