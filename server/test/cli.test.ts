import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DocumentSummary, User } from '@accord/shared'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ApiClient, createDocument, createPerson, PASSWORD, signIn } from './support/api.js'
import { dropSchemas, freshSchema, TEST_DATABASE_URL } from './support/postgres.js'
import { startTestServer, tempDataDir, type TestServer } from './support/server.js'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const tsx = path.join(repoRoot, 'node_modules/.bin/tsx')

interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

let dataDir: string
let server: TestServer | null = null

beforeEach(() => {
  dataDir = tempDataDir()
})

afterEach(async () => {
  await server?.close()
  server = null
})

/** Runs the real CLI as an operator would, from the repository root, with `stdin` piped in. */
function cli(args: string[], stdin = '', extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, ...extraEnv }
  delete env.PORT
  delete env.HOST
  delete env.PUBLIC_URL
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ['server/src/cli/main.ts', ...args], { cwd: repoRoot, env })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    // A command that never reads its input may already have exited.
    child.stdin.on('error', () => {})
    child.stdin.end(stdin)
  })
}

async function createWithCli(username: string, options: { admin?: boolean; password?: string } = {}): Promise<void> {
  const args = ['user', 'create', username, '--display-name', 'Chris Clerk', '--affiliation', 'board-member']
  if (options.admin) args.push('--admin')
  const result = await cli(args, `${options.password ?? PASSWORD}\n`)
  if (result.code !== 0) throw new Error(`cli user create failed: ${result.stderr}`)
}

function usernamesIn(file: string): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return (db.prepare('SELECT username FROM users ORDER BY username').all() as { username: string }[]).map(
      (row) => row.username,
    )
  } finally {
    db.close()
  }
}

const databaseFile = () => path.join(dataDir, 'accord.sqlite')

// Each CLI run starts tsx afresh (about a second), so these tests get more time than the default.
const slow = { timeout: 60_000 }

describe('user create', slow, () => {
  it('creates an admin from a password on stdin, who can then sign in to a server on that DATA_DIR', async () => {
    const result = await cli(
      ['user', 'create', 'Chris', '--display-name', 'Chris Clerk', '--affiliation', 'board-member', '--admin'],
      `${PASSWORD}\n`,
    )
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toBe('Created admin account "chris" (Chris Clerk).\n')

    server = await startTestServer(dataDir)
    // An account exists, so no first-admin link is offered.
    expect(server.setupUrl).toBeNull()
    const client = new ApiClient(server)
    const response = await client.post<{ user: User }>('/api/session', { username: 'chris', password: PASSWORD })
    expect(response.status).toBe(200)
    expect(response.body.user).toEqual({
      username: 'chris',
      displayName: 'Chris Clerk',
      affiliation: 'board-member',
      isAdmin: true,
      active: true,
    })
    // The trailing newline from stdin is not part of the password.
    expect((await new ApiClient(server).post('/api/session', { username: 'chris', password: `${PASSWORD}\n` })).status).toBe(401)
    expect((await client.post('/api/documents', { title: 'Made by a CLI admin' })).status).toBe(201)
  })

  it('creates a non-admin without --admin', async () => {
    const result = await cli(
      ['user', 'create', 'dana', '--display-name', 'Dana Doe', '--affiliation', 'counsel'],
      'another long password',
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('Created account "dana" (Dana Doe).\n')
    const list = await cli(['user', 'list'])
    expect(list.stdout).toBe('dana\tDana Doe\tcounsel\n')
  })

  it('refuses bad input with a clear message on stderr, a non-zero exit and no account', async () => {
    const base = ['user', 'create', 'chris', '--display-name', 'Chris Clerk', '--affiliation', 'board-member']

    const badAffiliation = await cli(['user', 'create', 'chris', '--display-name', 'Chris Clerk', '--affiliation', 'mayor'], `${PASSWORD}\n`)
    expect(badAffiliation.code).not.toBe(0)
    expect(badAffiliation.stderr).toContain('Affiliation (--affiliation): Affiliation must be one of: board-member, police-liaison')
    expect(badAffiliation.stdout).toBe('')

    const shortPassword = await cli(base, 'short\n')
    expect(shortPassword.code).not.toBe(0)
    expect(shortPassword.stderr).toContain('Password: Passwords need at least 10 characters.')

    const noDisplayName = await cli(['user', 'create', 'chris', '--affiliation', 'board-member'], `${PASSWORD}\n`)
    expect(noDisplayName.code).not.toBe(0)
    expect(noDisplayName.stderr).toContain('Display name (--display-name)')

    const blankDisplayName = await cli(['user', 'create', 'chris', '--display-name', '  ', '--affiliation', 'board-member'], `${PASSWORD}\n`)
    expect(blankDisplayName.code).not.toBe(0)
    expect(blankDisplayName.stderr).toContain('A display name is required.')

    const badUsername = await cli(['user', 'create', 'no spaces!', '--display-name', 'X', '--affiliation', 'other'], `${PASSWORD}\n`)
    expect(badUsername.code).not.toBe(0)
    expect(badUsername.stderr).toContain('Usernames are 2 to 40 characters')

    expect(usernamesIn(databaseFile())).toEqual([])

    await createWithCli('chris')
    const duplicate = await cli(base, `${PASSWORD}\n`)
    expect(duplicate.code).not.toBe(0)
    expect(duplicate.stderr).toContain('The username "chris" is already taken.')
    expect(usernamesIn(databaseFile())).toEqual(['chris'])
  })
})

describe('user reset-password and deactivate', slow, () => {
  it('reset-password sets the password from stdin and signs the person out of the running server', async () => {
    await createWithCli('chris', { admin: true })
    server = await startTestServer(dataDir)
    const session = await signIn(server, 'chris')

    const newPassword = 'a completely new passphrase'
    const result = await cli(['user', 'reset-password', 'chris'], `${newPassword}\n`)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Set a new password for "chris"')

    expect((await session.get('/api/session')).status).toBe(401)
    expect((await new ApiClient(server).post('/api/session', { username: 'chris', password: PASSWORD })).status).toBe(401)
    expect((await new ApiClient(server).post('/api/session', { username: 'chris', password: newPassword })).status).toBe(200)

    const tooShort = await cli(['user', 'reset-password', 'chris'], 'short\n')
    expect(tooShort.code).not.toBe(0)
    expect(tooShort.stderr).toContain('Passwords need at least 10 characters.')
    const unknown = await cli(['user', 'reset-password', 'nobody'], `${newPassword}\n`)
    expect(unknown.code).not.toBe(0)
    expect(unknown.stderr).toContain('There is no account named "nobody".')
    // Neither failure changed the password.
    expect((await new ApiClient(server).post('/api/session', { username: 'chris', password: newPassword })).status).toBe(200)
  })

  it('deactivate signs the person out of the running server and keeps them out; activate lets them back', async () => {
    await createWithCli('chris', { admin: true })
    server = await startTestServer(dataDir)
    const admin = await signIn(server, 'chris')
    const alice = await createPerson(admin, 'alice')
    expect((await alice.get('/api/documents')).status).toBe(200)

    const result = await cli(['user', 'deactivate', 'alice'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Deactivated "alice"')

    expect((await alice.get('/api/documents')).status).toBe(401)
    expect((await new ApiClient(server).post('/api/session', { username: 'alice', password: PASSWORD })).status).toBe(401)
    const users = await admin.get<User[]>('/api/users')
    expect(users.body.find((user) => user.username === 'alice')?.active).toBe(false)
    expect((await cli(['user', 'list'])).stdout).toContain('alice\tAlice\tcommunity-member\tdeactivated')

    const lastAdmin = await cli(['user', 'deactivate', 'chris'])
    expect(lastAdmin.code).not.toBe(0)
    expect(lastAdmin.stderr).toContain('at least one active site admin')
    expect((await admin.get('/api/session')).status).toBe(200)

    expect((await cli(['user', 'activate', 'alice'])).code).toBe(0)
    expect((await new ApiClient(server).post('/api/session', { username: 'alice', password: PASSWORD })).status).toBe(200)
  })
})

describe('backup', slow, () => {
  it('writes a consistent SQLite copy, with the accounts, while the server is running', async () => {
    await createWithCli('chris', { admin: true })
    server = await startTestServer(dataDir)
    const admin = await signIn(server, 'chris')
    // Written by the running server, so possibly still only in its write-ahead log.
    await createPerson(admin, 'alice')
    await createPerson(admin, 'bob')
    const document = await createDocument(admin, 'MOU: Backed up')

    const backupDir = tempDataDir()
    const file = path.join(backupDir, 'accord-backup.sqlite')
    const result = await cli(['backup', file])
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toContain(`to ${file}`)

    expect(fs.statSync(file).size).toBeGreaterThan(0)
    expect(usernamesIn(file)).toEqual(['alice', 'bob', 'chris'])
    const copy = new Database(file, { readonly: true, fileMustExist: true })
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok')
      expect(copy.prepare('SELECT id, title FROM documents').all()).toEqual([{ id: document.id, title: 'MOU: Backed up' }])
    } finally {
      copy.close()
    }

    // The server carried on undisturbed.
    expect((await admin.get<DocumentSummary[]>('/api/documents')).body.map((d) => d.title)).toEqual(['MOU: Backed up'])

    const noFile = await cli(['backup'])
    expect(noFile.code).not.toBe(0)
    expect(noFile.stderr).toContain('backup needs a file to write to.')
  })
})

describe.runIf(TEST_DATABASE_URL !== null)('the CLI on PostgreSQL (DATABASE_URL)', () => {
  it('manages the accounts stored there, and points backups to pg_dump', async () => {
    const schema = freshSchema()
    const postgres = { DATABASE_URL: TEST_DATABASE_URL!, DATABASE_SCHEMA: schema }
    try {
      const created = await cli(['user', 'create', 'pat', '--display-name', 'Pat Park', '--affiliation', 'counsel', '--admin'], `${PASSWORD}\n`, postgres)
      expect(created).toMatchObject({ code: 0, stderr: '' })
      server = await startTestServer(dataDir, postgres)
      const admin = await signIn(server, 'pat')
      await createPerson(admin, 'quinn')
      expect((await cli(['user', 'list'], '', postgres)).stdout).toMatch(/^pat\tPat Park\tcounsel\tadmin\nquinn\t/)
      // The SQLite file in DATA_DIR was never used.
      expect((await cli(['user', 'list'])).stdout.trim()).toBe('')

      const backup = await cli(['backup', path.join(dataDir, 'copy.sqlite')], '', postgres)
      expect(backup.code).toBe(2)
      expect(backup.stderr).toContain('back it up with pg_dump')
    } finally {
      await server?.close()
      server = null
      await dropSchemas(TEST_DATABASE_URL!, [schema])
    }
  })
})
