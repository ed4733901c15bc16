/**
 * Who may do what on a document. This table is the single source of truth: the server
 * enforces it on every REST route and every socket, the client only uses it to hide
 * controls a person could not use anyway.
 */
export const ROLES = ['owner', 'drafter', 'reviewer', 'clerk', 'viewer'] as const
export type Role = (typeof ROLES)[number]

export const AFFILIATIONS = [
  'board-member',
  'police-liaison',
  'community-member',
  'district-staff',
  'counsel',
  'other',
] as const
export type Affiliation = (typeof AFFILIATIONS)[number]

export const AFFILIATION_LABELS: Record<Affiliation, string> = {
  'board-member': 'Board member',
  'police-liaison': 'Police liaison',
  'community-member': 'Community member',
  'district-staff': 'District staff',
  counsel: 'Counsel',
  other: 'Other',
}

/** Caret and avatar colours, chosen for at least 4.5:1 contrast against white text. */
export const AFFILIATION_COLORS: Record<Affiliation, string> = {
  'board-member': '#1d4ed8',
  'police-liaison': '#334155',
  'community-member': '#047857',
  'district-staff': '#7c3aed',
  counsel: '#b45309',
  other: '#be185d',
}

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  drafter: 'Drafter',
  reviewer: 'Reviewer',
  clerk: 'Clerk',
  viewer: 'Viewer',
}

export const DOCUMENT_ACTIONS = [
  'read',
  'comment',
  'edit',
  'manageMembers',
  'manageDocument',
  'export',
  'finalize',
  'reopen',
  'viewHistory',
  'saveVersion',
  'restoreVersion',
] as const
export type DocumentAction = (typeof DOCUMENT_ACTIONS)[number]

const MATRIX: Record<Role, ReadonlySet<DocumentAction>> = {
  owner: new Set([
    'read', 'comment', 'edit', 'manageMembers', 'manageDocument', 'export', 'finalize', 'reopen',
    'viewHistory', 'saveVersion', 'restoreVersion',
  ]),
  drafter: new Set(['read', 'comment', 'edit', 'export', 'viewHistory', 'saveVersion', 'restoreVersion']),
  reviewer: new Set(['read', 'comment', 'viewHistory']),
  clerk: new Set(['read', 'comment', 'export', 'finalize', 'viewHistory', 'saveVersion']),
  viewer: new Set(['read', 'viewHistory']),
}

/** 'final' is reached only through finalize and left only through reopen, never by a status change. */
export const DOCUMENT_STATUSES = ['active', 'archived', 'final'] as const
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number]

/** What an archived document still allows: reading, and the owner bringing it back. */
const ALLOWED_WHEN_ARCHIVED: ReadonlySet<DocumentAction> = new Set(['read', 'manageMembers', 'manageDocument', 'viewHistory'])

/**
 * A Final is frozen: nobody edits its text or title, and only an owner can reopen it. Comments
 * stay open (they sit beside the text, for the public record), members can still be managed,
 * and every member may read and download it.
 */
const ALLOWED_WHEN_FINAL: ReadonlySet<DocumentAction> = new Set(['read', 'comment', 'manageMembers', 'export', 'reopen', 'viewHistory'])
const EVERY_MEMBER_WHEN_FINAL: ReadonlySet<DocumentAction> = new Set(['read', 'export', 'viewHistory'])

export function can(role: Role, action: DocumentAction, status: DocumentStatus = 'active'): boolean {
  if (status === 'archived' && !ALLOWED_WHEN_ARCHIVED.has(action)) return false
  if (status === 'final') {
    if (!ALLOWED_WHEN_FINAL.has(action)) return false
    if (EVERY_MEMBER_WHEN_FINAL.has(action)) return true
  } else if (action === 'reopen') {
    return false
  }
  return MATRIX[role].has(action)
}
