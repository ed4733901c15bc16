import { z } from 'zod'
import {
  affiliationSchema,
  displayNameSchema,
  documentStatusSchema,
  documentTitleSchema,
  passwordSchema,
  roleSchema,
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

export const createDocumentRequest = z.strictObject({ title: documentTitleSchema })

export const updateDocumentRequest = z
  .strictObject({
    title: documentTitleSchema.optional(),
    status: documentStatusSchema.optional(),
  })
  .refine((body) => body.title !== undefined || body.status !== undefined, {
    message: 'Send a title or a status to change.',
  })

export const setMemberRequest = z.strictObject({ role: roleSchema })

export type LoginRequest = z.infer<typeof loginRequest>
export type SetupRequest = z.infer<typeof setupRequest>
export type CreateUserRequest = z.input<typeof createUserRequest>
export type UpdateUserRequest = z.infer<typeof updateUserRequest>
export type CreateDocumentRequest = z.infer<typeof createDocumentRequest>
export type UpdateDocumentRequest = z.infer<typeof updateDocumentRequest>
export type SetMemberRequest = z.infer<typeof setMemberRequest>
