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

  async start(userId: number): Promise<string> {
    const token = randomBytes(32).toString('base64url')
    await this.sessions.create(hashToken(token), userId, Date.now() + SESSION_LIFETIME_MS)
    return token
  }

  /** The active person behind a session token, or null. */
  async resolve(token: string | null): Promise<UserRecord | null> {
    if (!token || token.length > 100) return null
    const userId = await this.sessions.userIdFor(hashToken(token))
    if (userId === null) return null
    const user = await this.users.byId(userId)
    return user?.active ? user : null
  }

  async end(token: string): Promise<void> {
    await this.sessions.delete(hashToken(token))
  }

  async endAllOf(userId: number): Promise<void> {
    await this.sessions.deleteAllOf(userId)
  }
}
