import type { DocumentSummary, Member, Person, User } from '@accord/shared'
import type { MemberRecord, MembershipRecord } from '../persistence/documents.js'
import type { UserRecord } from '../persistence/users.js'

export const presentUser = (user: UserRecord): User => ({
  username: user.username,
  displayName: user.displayName,
  affiliation: user.affiliation,
  isAdmin: user.isAdmin,
  active: user.active,
})

export const presentPerson = (user: Pick<UserRecord, 'username' | 'displayName' | 'affiliation'>): Person => ({
  username: user.username,
  displayName: user.displayName,
  affiliation: user.affiliation,
})

export const presentDocument = (document: MembershipRecord, online: Person[]): DocumentSummary => ({
  id: document.id,
  title: document.title,
  status: document.status,
  role: document.role,
  createdAt: new Date(document.createdAt).toISOString(),
  updatedAt: new Date(document.updatedAt).toISOString(),
  online,
})

export const presentMember = (member: MemberRecord): Member => ({ ...presentPerson(member), role: member.role })
