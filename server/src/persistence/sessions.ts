import type { Sql } from './sql.js'

export class SessionStore {
  constructor(private readonly db: Sql) {}

  async create(tokenHash: string, userId: number, expiresAt: number): Promise<void> {
    await this.db
      .prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(tokenHash, userId, Date.now(), expiresAt)
  }

  /** The user id behind an unexpired session. */
  async userIdFor(tokenHash: string, now = Date.now()): Promise<number | null> {
    const row = (await this.db
      .prepare('SELECT user_id FROM sessions WHERE token_hash = ? AND expires_at > ?')
      .get(tokenHash, now)) as { user_id: number } | undefined
    return row?.user_id ?? null
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash)
  }

  async deleteAllOf(userId: number): Promise<void> {
    await this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId)
  }

  async deleteExpired(now = Date.now()): Promise<void> {
    await this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now)
  }
}
