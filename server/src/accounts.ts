import type { Affiliation } from '@accord/shared'
import { hashPassword } from './auth/passwords.js'
import type { Sessions } from './auth/sessions.js'
import { AppError } from './errors.js'
import type { UserRecord, UserStore } from './persistence/users.js'

export interface NewAccount {
  username: string
  password: string
  displayName: string
  affiliation: Affiliation
  isAdmin: boolean
}

/** Account changes shared by the admin API, first-admin setup and the CLI. Inputs are already validated. */
export class Accounts {
  constructor(
    private readonly users: UserStore,
    private readonly sessions: Sessions,
  ) {}

  async create(account: NewAccount): Promise<UserRecord> {
    const passwordHash = await hashPassword(account.password)
    const user = await this.users.create({ ...account, passwordHash })
    if (!user) throw new AppError(409, 'username_taken', `The username "${account.username}" is already taken.`)
    return user
  }

  /** Sets a new password and signs the person out everywhere. */
  async resetPassword(username: string, password: string): Promise<UserRecord> {
    const user = await this.require(username)
    const updated = (await this.users.update(user.id, { passwordHash: await hashPassword(password) }))!
    await this.sessions.endAllOf(user.id)
    return updated
  }

  async update(
    username: string,
    changes: { displayName?: string | undefined; affiliation?: Affiliation | undefined; isAdmin?: boolean | undefined; active?: boolean | undefined },
  ): Promise<UserRecord> {
    const user = await this.require(username)
    const losesAdmin = user.isAdmin && user.active && (changes.isAdmin === false || changes.active === false)
    if (losesAdmin && (await this.users.countActiveAdmins()) <= 1) {
      throw new AppError(409, 'last_admin', 'Accord needs at least one active site admin; make someone else an admin first.')
    }
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined))
    const updated = (await this.users.update(user.id, defined))!
    if (changes.active === false) await this.sessions.endAllOf(user.id)
    return updated
  }

  async require(username: string): Promise<UserRecord> {
    const user = await this.users.byUsername(username)
    if (!user) throw new AppError(404, 'user_not_found', `There is no account named "${username}".`)
    return user
  }
}
