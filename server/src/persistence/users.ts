import type { Affiliation, User } from '@accord/shared'
import type { Db } from './database.js'

export interface UserRecord extends User {
  id: number
  passwordHash: string
}

interface UserRow {
  id: number
  username: string
  display_name: string
  affiliation: Affiliation
  password_hash: string
  is_admin: number
  active: number
}

const toRecord = (row: UserRow): UserRecord => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  affiliation: row.affiliation,
  passwordHash: row.password_hash,
  isAdmin: row.is_admin === 1,
  active: row.active === 1,
})

export interface NewUser {
  username: string
  displayName: string
  affiliation: Affiliation
  passwordHash: string
  isAdmin: boolean
}

export class UserStore {
  constructor(private readonly db: Db) {}

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n
  }

  /** Returns null when the username is taken. */
  create(user: NewUser): UserRecord | null {
    const result = this.db
      .prepare(
        `INSERT INTO users (username, display_name, affiliation, password_hash, is_admin, created_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(username) DO NOTHING`,
      )
      .run(user.username, user.displayName, user.affiliation, user.passwordHash, user.isAdmin ? 1 : 0, Date.now())
    return result.changes === 0 ? null : this.byId(Number(result.lastInsertRowid))
  }

  byId(id: number): UserRecord | null {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined
    return row ? toRecord(row) : null
  }

  byUsername(username: string): UserRecord | null {
    const row = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined
    return row ? toRecord(row) : null
  }

  list(): UserRecord[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY display_name COLLATE NOCASE').all() as UserRow[]).map(
      toRecord,
    )
  }

  update(
    id: number,
    changes: Partial<Pick<UserRecord, 'displayName' | 'affiliation' | 'isAdmin' | 'active' | 'passwordHash'>>,
  ): UserRecord | null {
    const current = this.byId(id)
    if (!current) return null
    const next = { ...current, ...changes }
    this.db
      .prepare(
        `UPDATE users SET display_name = ?, affiliation = ?, is_admin = ?, active = ?, password_hash = ?
         WHERE id = ?`,
      )
      .run(next.displayName, next.affiliation, next.isAdmin ? 1 : 0, next.active ? 1 : 0, next.passwordHash, id)
    return this.byId(id)
  }

  countActiveAdmins(): number {
    return (
      this.db.prepare('SELECT count(*) AS n FROM users WHERE is_admin = 1 AND active = 1').get() as { n: number }
    ).n
  }
}
