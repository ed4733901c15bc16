import type { Affiliation, User } from '@accord/shared'
import type { Sql } from './sql.js'

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
  constructor(private readonly db: Sql) {}

  async count(): Promise<number> {
    return ((await this.db.prepare('SELECT count(*) AS n FROM users').get()) as { n: number }).n
  }

  /** Returns null when the username is taken. */
  async create(user: NewUser): Promise<UserRecord | null> {
    const row = (await this.db
      .prepare(
        `INSERT INTO users (username, display_name, affiliation, password_hash, is_admin, created_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(username) DO NOTHING RETURNING id`,
      )
      .get(user.username, user.displayName, user.affiliation, user.passwordHash, user.isAdmin ? 1 : 0, Date.now())) as { id: number } | undefined
    return row ? this.byId(row.id) : null
  }

  async byId(id: number): Promise<UserRecord | null> {
    const row = (await this.db.prepare('SELECT * FROM users WHERE id = ?').get(id)) as UserRow | undefined
    return row ? toRecord(row) : null
  }

  async byUsername(username: string): Promise<UserRecord | null> {
    const row = (await this.db.prepare('SELECT * FROM users WHERE username = ?').get(username)) as UserRow | undefined
    return row ? toRecord(row) : null
  }

  async list(): Promise<UserRecord[]> {
    return ((await this.db.prepare('SELECT * FROM users ORDER BY lower(display_name), id').all()) as UserRow[]).map(
      toRecord,
    )
  }

  async update(
    id: number,
    changes: Partial<Pick<UserRecord, 'displayName' | 'affiliation' | 'isAdmin' | 'active' | 'passwordHash'>>,
  ): Promise<UserRecord | null> {
    const current = await this.byId(id)
    if (!current) return null
    const next = { ...current, ...changes }
    await this.db
      .prepare(
        `UPDATE users SET display_name = ?, affiliation = ?, is_admin = ?, active = ?, password_hash = ?
         WHERE id = ?`,
      )
      .run(next.displayName, next.affiliation, next.isAdmin ? 1 : 0, next.active ? 1 : 0, next.passwordHash, id)
    return this.byId(id)
  }

  async countActiveAdmins(): Promise<number> {
    return ((await this.db.prepare('SELECT count(*) AS n FROM users WHERE is_admin = 1 AND active = 1').get()) as { n: number }).n
  }
}
