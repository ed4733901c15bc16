import { randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * The one-time link that creates the first admin. It exists only while the database has no
 * accounts, lives in memory (a restart before setup prints a new one), and works once.
 */
export class SetupToken {
  private token: string | null = null

  issue(): string {
    this.token = randomBytes(24).toString('base64url')
    return this.token
  }

  get pending(): boolean {
    return this.token !== null
  }

  matches(candidate: string): boolean {
    if (!this.token) return false
    const expected = Buffer.from(this.token)
    const actual = Buffer.from(candidate)
    return expected.length === actual.length && timingSafeEqual(expected, actual)
  }

  consume(): void {
    this.token = null
  }
}
