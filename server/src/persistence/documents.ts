import { randomUUID } from 'node:crypto'
import type { Affiliation, DocumentStatus, Role } from '@accord/shared'
import type { Sql } from './sql.js'

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
  constructor(private readonly db: Sql) {}

  /** Creates a document whose first owner is its creator. */
  async create(title: string, ownerId: number): Promise<DocumentRecord> {
    const id = randomUUID()
    const now = Date.now()
    await this.db.transaction(async () => {
      await this.db
        .prepare('INSERT INTO documents (id, title, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
        .run(id, title, ownerId, now, now)
      await this.db
        .prepare("INSERT INTO document_members (document_id, user_id, role, added_at) VALUES (?, ?, 'owner', ?)")
        .run(id, ownerId, now)
    })
    return (await this.byId(id))!
  }

  async byId(id: string): Promise<DocumentRecord | null> {
    const row = (await this.db.prepare('SELECT * FROM documents WHERE id = ?').get(id)) as DocumentRow | undefined
    return row ? toRecord(row) : null
  }

  /** The document as seen by one member, or null when it does not exist or they are not a member. */
  async membership(documentId: string, userId: number): Promise<MembershipRecord | null> {
    const row = (await this.db
      .prepare(
        `SELECT d.*, m.role FROM documents d JOIN document_members m ON m.document_id = d.id
         WHERE d.id = ? AND m.user_id = ?`,
      )
      .get(documentId, userId)) as (DocumentRow & { role: Role }) | undefined
    return row ? { ...toRecord(row), role: row.role } : null
  }

  async listFor(userId: number): Promise<MembershipRecord[]> {
    const rows = (await this.db
      .prepare(
        `SELECT d.*, m.role FROM documents d JOIN document_members m ON m.document_id = d.id
         WHERE m.user_id = ? ORDER BY d.updated_at DESC`,
      )
      .all(userId)) as (DocumentRow & { role: Role })[]
    return rows.map((row) => ({ ...toRecord(row), role: row.role }))
  }

  async update(id: string, changes: { title?: string | undefined; status?: DocumentStatus | undefined }): Promise<void> {
    const current = await this.byId(id)
    if (!current) return
    await this.db
      .prepare('UPDATE documents SET title = ?, status = ? WHERE id = ?')
      .run(changes.title ?? current.title, changes.status ?? current.status, id)
  }

  async members(documentId: string): Promise<MemberRecord[]> {
    return (await this.db
      .prepare(
        `SELECT u.id AS "userId", u.username, u.display_name AS "displayName", u.affiliation, m.role
         FROM document_members m JOIN users u ON u.id = m.user_id
         WHERE m.document_id = ? ORDER BY lower(u.display_name), u.id`,
      )
      .all(documentId)) as MemberRecord[]
  }

  async setMember(documentId: string, userId: number, role: Role): Promise<void> {
    await this.db
      .prepare(
        `INSERT INTO document_members (document_id, user_id, role, added_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(document_id, user_id) DO UPDATE SET role = excluded.role`,
      )
      .run(documentId, userId, role, Date.now())
  }

  async removeMember(documentId: string, userId: number): Promise<boolean> {
    return (await this.db.prepare('DELETE FROM document_members WHERE document_id = ? AND user_id = ?').run(documentId, userId)).changes > 0
  }

  async countOwners(documentId: string): Promise<number> {
    return (
      (await this.db
        .prepare("SELECT count(*) AS n FROM document_members WHERE document_id = ? AND role = 'owner'")
        .get(documentId)) as { n: number }
    ).n
  }
}
