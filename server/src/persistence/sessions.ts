import type { Db } from './database.js'

export class SessionStore {
  constructor(private readonly db: Db) {}

  create(tokenHash: string, userId: number, expiresAt: number): void {
    this.db
      .prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(tokenHash, userId, Date.now(), expiresAt)
  }

  /** The user id behind an unexpired session. */
  userIdFor(tokenHash: string, now = Date.now()): number | null {
    const row = this.db
      .prepare('SELECT user_id FROM sessions WHERE token_hash = ? AND expires_at > ?')
      .get(tokenHash, now) as { user_id: number } | undefined
    return row?.user_id ?? null
  }

  delete(tokenHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash)
  }

  deleteAllOf(userId: number): void {
    this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId)
  }

  deleteExpired(now = Date.now()): void {
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now)
  }
}
