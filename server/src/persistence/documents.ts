import { randomUUID } from 'node:crypto'
import type { Affiliation, DocumentStatus, Role } from '@accord/shared'
import type { Db } from './database.js'

export interface DocumentRecord {
  id: string
  title: string
  status: DocumentStatus
  createdBy: number
  createdAt: number
  updatedAt: number
}

export interface MembershipRecord extends DocumentRecord {
  role: Role
}

export interface MemberRecord {
  userId: number
  username: string
  displayName: string
  affiliation: Affiliation
  role: Role
}

interface DocumentRow {
  id: string
  title: string
  status: DocumentStatus
  created_by: number
  created_at: number
  updated_at: number
}

const toRecord = (row: DocumentRow): DocumentRecord => ({
  id: row.id,
  title: row.title,
  status: row.status,
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

export class DocumentStore {
  constructor(private readonly db: Db) {}

  /** Creates a document whose first owner is its creator. */
  create(title: string, ownerId: number): DocumentRecord {
    const id = randomUUID()
    const now = Date.now()
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO documents (id, title, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
        .run(id, title, ownerId, now, now)
      this.db
        .prepare("INSERT INTO document_members (document_id, user_id, role, added_at) VALUES (?, ?, 'owner', ?)")
        .run(id, ownerId, now)
    })()
    return this.byId(id)!
  }

  byId(id: string): DocumentRecord | null {
    const row = this.db.prepare('SELECT * FROM documents WHERE id = ?').get(id) as DocumentRow | undefined
    return row ? toRecord(row) : null
  }

  /** The document as seen by one member, or null when it does not exist or they are not a member. */
  membership(documentId: string, userId: number): MembershipRecord | null {
    const row = this.db
      .prepare(
        `SELECT d.*, m.role FROM documents d JOIN document_members m ON m.document_id = d.id
         WHERE d.id = ? AND m.user_id = ?`,
      )
      .get(documentId, userId) as (DocumentRow & { role: Role }) | undefined
    return row ? { ...toRecord(row), role: row.role } : null
  }

  listFor(userId: number): MembershipRecord[] {
    const rows = this.db
      .prepare(
        `SELECT d.*, m.role FROM documents d JOIN document_members m ON m.document_id = d.id
         WHERE m.user_id = ? ORDER BY d.updated_at DESC`,
      )
      .all(userId) as (DocumentRow & { role: Role })[]
    return rows.map((row) => ({ ...toRecord(row), role: row.role }))
  }

  update(id: string, changes: { title?: string | undefined; status?: DocumentStatus | undefined }): void {
    const current = this.byId(id)
    if (!current) return
    this.db
      .prepare('UPDATE documents SET title = ?, status = ? WHERE id = ?')
      .run(changes.title ?? current.title, changes.status ?? current.status, id)
  }

  members(documentId: string): MemberRecord[] {
    return this.db
      .prepare(
        `SELECT u.id AS userId, u.username, u.display_name AS displayName, u.affiliation, m.role
         FROM document_members m JOIN users u ON u.id = m.user_id
         WHERE m.document_id = ? ORDER BY u.display_name COLLATE NOCASE`,
      )
      .all(documentId) as MemberRecord[]
  }

  setMember(documentId: string, userId: number, role: Role): void {
    this.db
      .prepare(
        `INSERT INTO document_members (document_id, user_id, role, added_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(document_id, user_id) DO UPDATE SET role = excluded.role`,
      )
      .run(documentId, userId, role, Date.now())
  }

  removeMember(documentId: string, userId: number): boolean {
    return (
      this.db.prepare('DELETE FROM document_members WHERE document_id = ? AND user_id = ?').run(documentId, userId)
        .changes > 0
    )
  }

  countOwners(documentId: string): number {
    return (
      this.db
        .prepare("SELECT count(*) AS n FROM document_members WHERE document_id = ? AND role = 'owner'")
        .get(documentId) as { n: number }
    ).n
  }
}
