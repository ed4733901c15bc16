import { createHash, randomBytes } from 'node:crypto'
import type { SessionStore } from '../persistence/sessions.js'
import type { UserRecord, UserStore } from '../persistence/users.js'

export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000

/** Only a hash of each token is stored, so a copy of the database does not let anyone sign in. */
const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url')

export class Sessions {
  constructor(
    private readonly sessions: SessionStore,
    private readonly users: UserStore,
  ) {}

  start(userId: number): string {
    const token = randomBytes(32).toString('base64url')
    this.sessions.create(hashToken(token), userId, Date.now() + SESSION_LIFETIME_MS)
    return token
  }

  /** The active person behind a session token, or null. */
  resolve(token: string | null): UserRecord | null {
    if (!token || token.length > 100) return null
    const userId = this.sessions.userIdFor(hashToken(token))
    if (userId === null) return null
    const user = this.users.byId(userId)
    return user?.active ? user : null
  }

  end(token: string): void {
    this.sessions.delete(hashToken(token))
  }

  endAllOf(userId: number): void {
    this.sessions.deleteAllOf(userId)
  }
}
