import { CloseCode, type ApiError, type DocumentSummary, type Member, type User } from '@accord/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.js'
import { createLogger } from '../src/logger.js'
import { startServer } from '../src/server.js'
import {
  addMember,
  ApiClient,
  createDocument,
  createPerson,
  PASSWORD,
  setUpAdmin,
  signIn,
  type ApiResponse,
} from './support/api.js'
import { CollabClient, connectSynced, waitFor } from './support/collab.js'
import { startTestServer, tempDataDir, type TestServer } from './support/server.js'

let server: TestServer
const sockets: CollabClient[] = []
const extraServers: { close(): Promise<void> }[] = []

beforeEach(async () => {
  server = await startTestServer()
})

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  for (const extra of extraServers.splice(0)) await extra.close()
  await server.close()
})

const track = (socket: CollabClient) => {
  sockets.push(socket)
  return socket
}

/** Every error answer is JSON with exactly a stable code and a sentence. */
function expectError(response: ApiResponse, status: number, code: string): ApiError {
  expect({ status: response.status, body: response.body }).toMatchObject({ status, body: { error: code } })
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  expect(Object.keys(response.body as object).sort()).toEqual(['error', 'message'])
  const { message } = response.body as ApiError
  expect(typeof message).toBe('string')
  expect(message.length).toBeGreaterThan(10)
  return response.body as ApiError
}

/** Sends a request with full control over headers and body, for what ApiClient would not send. */
async function raw(method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) {
  const response = await fetch(`${server.url}${path}`, { method, headers: init.headers, body: init.body })
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // left as text, which expectError will reject
  }
  return { status: response.status, body, headers: response.headers } satisfies ApiResponse
}

const sessionCookieHeader = (response: ApiResponse) =>
  response.headers.getSetCookie().find((header) => header.startsWith('accord_session='))

/** A client that carries someone else's cookie, e.g. a copy kept from before they signed out. */
function withCookie(cookie: string | null): ApiClient {
  const client = new ApiClient(server)
  client.cookie = cookie
  return client
}

describe('requests without a session', () => {
  it('answer 401 with a JSON error on every API route', async () => {
    const anonymous = new ApiClient(server)
    const id = crypto.randomUUID()
    const attempts: [string, string, unknown?][] = [
      ['GET', '/api/session'],
      ['GET', '/api/documents'],
      ['POST', '/api/documents', { title: 'Sneaky' }],
      ['GET', `/api/documents/${id}`],
      ['PATCH', `/api/documents/${id}`, { title: 'Sneaky' }],
      ['PUT', `/api/documents/${id}/members/admin`, { role: 'owner' }],
      ['GET', '/api/people'],
      ['GET', '/api/users'],
      ['POST', '/api/users', { username: 'sneaky', password: PASSWORD, displayName: 'S', affiliation: 'other' }],
      ['PATCH', '/api/users/admin', { active: false }],
      ['GET', '/api/no-such-endpoint'],
    ]
    for (const [method, path, body] of attempts) {
      const response = await anonymous.request(method, path, body)
      expectError(response, 401, 'unauthenticated')
    }
  })

  it('treat an unknown or malformed session cookie as no session', async () => {
    for (const cookie of ['accord_session=not-a-real-token', `accord_session=${'x'.repeat(500)}`, 'accord_session=%E0%A4%A']) {
      expectError(await withCookie(cookie).get('/api/documents'), 401, 'unauthenticated')
    }
  })

  it('are refused before their body is read', async () => {
    const response = await raw('POST', '/api/documents', {
      headers: { 'content-type': 'application/json' },
      body: '{"title": ',
    })
    expectError(response, 401, 'unauthenticated')
  })
})

describe('error answers', () => {
  let admin: ApiClient
  beforeEach(async () => {
    admin = await setUpAdmin(server)
  })

  it('are JSON {error, message} for unknown endpoints, unknown methods and oversized bodies', async () => {
    expectError(await admin.get('/api/nothing-here'), 404, 'no_such_endpoint')
    expectError(await admin.delete('/api/documents'), 404, 'no_such_endpoint')
    expectError(await admin.post('/api/documents', { title: 'x'.repeat(70_000) }), 413, 'too_large')
    // Signed-in routes take up to 64 kB: a 20 kB body is read, then refused for what it says.
    const { message } = expectError(await admin.post('/api/documents', { title: 'x'.repeat(20_000) }), 400, 'invalid_request')
    expect(message).toBe('Titles may have at most 200 characters.')
    expectError(await admin.post('/api/session', { username: 'admin', password: 'x'.repeat(20_000) }), 413, 'too_large')
    const latin1 = await raw('POST', '/api/documents', {
      headers: { cookie: admin.cookie!, 'content-type': 'application/json; charset=latin1' },
      body: '{"title":"MOU"}',
    })
    expectError(latin1, 415, 'unsupported_encoding')
  })

  it('answer malformed JSON with 400 invalid_json, with and without a session', async () => {
    const headers = { 'content-type': 'application/json' }
    expectError(await raw('POST', '/api/session', { headers, body: '{"username": "admin",' }), 400, 'invalid_json')
    const withSession = { ...headers, cookie: admin.cookie! }
    expectError(await raw('POST', '/api/users', { headers: withSession, body: "{'single': 'quotes'}" }), 400, 'invalid_json')
    expectError(await raw('POST', '/api/documents', { headers: withSession, body: '"just a string"' }), 400, 'invalid_json')
  })

  it('answer an invalid body with 400 and a message naming every problem', async () => {
    const response = await admin.post('/api/users', {
      username: 'x',
      password: 'short',
      displayName: '   ',
      affiliation: 'mayor',
      extra: true,
    })
    const { message } = expectError(response, 400, 'invalid_request')
    expect(message).toContain('Usernames are 2 to 40 characters')
    expect(message).toContain('Passwords need at least 10 characters.')
    expect(message).toContain('A display name is required.')
    expect(message).toContain('Affiliation must be one of: board-member, police-liaison')
    expect(message).toContain('"extra"')
    expect((await admin.get<User[]>('/api/users')).body.map((user) => user.username)).toEqual(['admin'])

    const missing = expectError(await admin.post('/api/documents', {}), 400, 'invalid_request')
    expect(missing.message).toContain('title')
  })

  it('answer a path that cannot be percent-decoded with 400, not a server error', async () => {
    expectError(await admin.get('/api/documents/%E0%A4%A'), 400, 'invalid_path')
    expectError(await admin.patch('/api/users/%zz', { active: false }), 400, 'invalid_path')
  })
})

describe('signing in and out', () => {
  beforeEach(async () => {
    await setUpAdmin(server)
  })

  it('refuses bad credentials with 401 and no cookie, the same for a wrong password and an unknown name', async () => {
    const client = new ApiClient(server)
    const wrongPassword = await client.post('/api/session', { username: 'admin', password: 'not the password' })
    const unknownUser = await client.post('/api/session', { username: 'nobody', password: PASSWORD })
    expectError(wrongPassword, 401, 'invalid_credentials')
    expect(unknownUser.status).toBe(401)
    expect(unknownUser.body).toEqual(wrongPassword.body)
    expect(wrongPassword.headers.getSetCookie()).toEqual([])
    expect(client.cookie).toBeNull()
    expectError(await client.post('/api/session', { username: 'admin' }), 400, 'invalid_request')
  })

  it('signs in with good credentials and sets an httpOnly, SameSite session cookie', async () => {
    const client = new ApiClient(server)
    const response = await client.post<{ user: User }>('/api/session', { username: 'Admin', password: PASSWORD })
    expect(response.status).toBe(200)
    expect(response.body.user).toEqual({
      username: 'admin',
      displayName: 'Site Admin',
      affiliation: 'district-staff',
      isAdmin: true,
      active: true,
    })
    const cookie = sessionCookieHeader(response)!
    expect(cookie).toMatch(/^accord_session=[A-Za-z0-9_-]{40,};/)
    const attributes = cookie.split(';').slice(1).map((part) => part.trim().toLowerCase())
    expect(attributes).toContain('httponly')
    expect(attributes).toContain('samesite=lax')
    expect(attributes).toContain('path=/')
    expect(attributes).toContain(`max-age=${30 * 24 * 60 * 60}`)
    // Served over plain http here, so a Secure cookie would never be sent back.
    expect(attributes).not.toContain('secure')

    const session = await client.get<{ user: User }>('/api/session')
    expect(session.status).toBe(200)
    expect(session.body.user.username).toBe('admin')
  })

  it('marks the cookie Secure when the public URL is https', async () => {
    const dataDir = tempDataDir()
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      PUBLIC_URL: 'https://accord.example.org',
    })
    const running = await startServer(config, createLogger('silent'))
    extraServers.push(running)
    const httpsServer: TestServer = { ...running, dataDir, origin: config.publicOrigin }
    const token = new URL(httpsServer.setupUrl!).searchParams.get('token')
    const response = await new ApiClient(httpsServer, 'https://accord.example.org').post('/api/setup', {
      token,
      username: 'admin',
      password: PASSWORD,
      displayName: 'Site Admin',
      affiliation: 'district-staff',
    })
    expect(response.status).toBe(201)
    const attributes = sessionCookieHeader(response)!.split(';').map((part) => part.trim().toLowerCase())
    expect(attributes).toContain('secure')
    expect(attributes).toContain('httponly')
  })

  it('signs out with DELETE /api/session: that cookie stops working, other sessions do not', async () => {
    const laptop = await signIn(server, 'admin')
    const phone = await signIn(server, 'admin')
    const keptCookie = laptop.cookie
    expect((await laptop.get('/api/documents')).status).toBe(200)

    const response = await laptop.delete('/api/session')
    expect(response.status).toBe(204)
    expect(sessionCookieHeader(response)).toMatch(/^accord_session=;.*Expires=Thu, 01 Jan 1970/)

    expectError(await laptop.get('/api/documents'), 401, 'unauthenticated')
    // A copy of the old cookie is dead on the server too, not just cleared in the browser.
    expectError(await withCookie(keptCookie).get('/api/documents'), 401, 'unauthenticated')
    expect((await phone.get('/api/documents')).status).toBe(200)
  })
})

describe('sign-in rate limiting', () => {
  let admin: ApiClient
  beforeEach(async () => {
    admin = await setUpAdmin(server)
    await createPerson(admin, 'victim')
  })

  const attempt = (username: string, password: string) =>
    new ApiClient(server).post('/api/session', { username, password })

  it('locks an account after 10 failures, with Retry-After, while others at the same address still sign in', async () => {
    for (let i = 0; i < 10; i++) expectError(await attempt('victim', `wrong guess ${i}`), 401, 'invalid_credentials')

    const locked = await attempt('victim', 'wrong guess 11')
    expectError(locked, 429, 'too_many_attempts')
    const retryAfter = Number(locked.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(14 * 60)
    expect(retryAfter).toBeLessThanOrEqual(15 * 60)
    // While locked, even the right password does not help, whatever the case of the username.
    expectError(await attempt('victim', PASSWORD), 429, 'too_many_attempts')
    expectError(await attempt('VICTIM', PASSWORD), 429, 'too_many_attempts')

    // Same address (every test request comes from 127.0.0.1), different account.
    expect((await attempt('admin', PASSWORD)).status).toBe(200)
  })

  it('cannot be dodged by sending guesses in parallel', async () => {
    const responses = await Promise.all(Array.from({ length: 25 }, (_, i) => attempt('victim', `parallel guess ${i}`)))
    const statuses = responses.map((response) => response.status)
    expect(statuses.filter((status) => status === 401)).toHaveLength(10)
    expect(statuses.filter((status) => status === 429)).toHaveLength(15)
  })

  it('starts counting again after a successful sign-in', async () => {
    for (let i = 0; i < 9; i++) expect((await attempt('victim', `typo ${i}`)).status).toBe(401)
    expect((await attempt('victim', PASSWORD)).status).toBe(200)
    for (let i = 0; i < 9; i++) expect((await attempt('victim', `typo ${i}`)).status).toBe(401)
    expect((await attempt('victim', PASSWORD)).status).toBe(200)
  })
})

describe('first-admin setup', () => {
  const token = () => new URL(server.setupUrl!).searchParams.get('token')!
  const setupBody = (username: string, overrides: Record<string, unknown> = {}) => ({
    token: token(),
    username,
    password: PASSWORD,
    displayName: 'First Admin',
    affiliation: 'district-staff',
    ...overrides,
  })

  it('is needed until the one-time link is used, and the link works once only', async () => {
    const anonymous = new ApiClient(server)
    expect(server.setupUrl).toMatch(/\/setup\?token=[A-Za-z0-9_-]{20,}$/)
    expect((await anonymous.get('/api/setup')).body).toEqual({ needed: true })

    expectError(await anonymous.post('/api/setup', setupBody('mallory', { token: 'x'.repeat(32) })), 403, 'invalid_setup_link')
    expectError(await anonymous.post('/api/setup', setupBody('mallory', { token: undefined })), 403, 'invalid_setup_link')
    expect((await anonymous.get('/api/setup')).body).toEqual({ needed: true })

    const first = new ApiClient(server)
    const created = await first.post<{ user: User }>('/api/setup', setupBody('first'))
    expect(created.status).toBe(201)
    expect(created.body.user).toMatchObject({ username: 'first', isAdmin: true, active: true })
    expect((await first.get('/api/session')).body.user.username).toBe('first')

    expect((await anonymous.get('/api/setup')).body).toEqual({ needed: false })
    expectError(await anonymous.post('/api/setup', setupBody('second')), 403, 'invalid_setup_link')
    const users = await first.get<User[]>('/api/users')
    expect(users.body.map((user) => user.username)).toEqual(['first'])
  })

  it('keeps the link usable after an invalid form', async () => {
    const client = new ApiClient(server)
    const { message } = expectError(await client.post('/api/setup', setupBody('first', { password: 'short' })), 400, 'invalid_request')
    expect(message).toContain('Passwords need at least 10 characters.')
    expect((await client.get('/api/setup')).body).toEqual({ needed: true })
    expect((await client.post('/api/setup', setupBody('first'))).status).toBe(201)
  })

  it('creates only one admin when the link is used twice at the same moment', async () => {
    const [a, b] = [new ApiClient(server), new ApiClient(server)]
    const responses = await Promise.all([a.post('/api/setup', setupBody('one')), b.post('/api/setup', setupBody('two'))])
    expect(responses.map((response) => response.status).sort()).toEqual([201, 403])
    const winner = responses[0]!.status === 201 ? a : b
    expect((await winner.get<User[]>('/api/users')).body).toHaveLength(1)
  })

  it('is not offered after a restart once an account exists', async () => {
    await setUpAdmin(server)
    await server.close()
    server = await startTestServer(server.dataDir)
    expect(server.setupUrl).toBeNull()
    expect((await new ApiClient(server).get('/api/setup')).body).toEqual({ needed: false })
  })
})

describe('admin-only routes', () => {
  let admin: ApiClient
  let person: ApiClient
  beforeEach(async () => {
    admin = await setUpAdmin(server)
    person = await createPerson(admin, 'alice')
  })

  it('answer 403 to someone who is not a site admin, before looking at the body', async () => {
    const newUser = { username: 'bob', password: PASSWORD, displayName: 'Bob', affiliation: 'other' }
    expectError(await person.post('/api/users', newUser), 403, 'forbidden')
    expectError(await person.post('/api/users', { nonsense: true }), 403, 'forbidden')
    expectError(await person.post('/api/documents', { title: 'My own MOU' }), 403, 'forbidden')
    expectError(await person.get('/api/users'), 403, 'forbidden')
    expectError(await person.patch('/api/users/admin', { active: false }), 403, 'forbidden')
    expectError(await person.post('/api/users/admin/password', { password: 'a new password 1' }), 403, 'forbidden')

    expect((await person.get('/api/documents')).body).toEqual([])
    const users = await admin.get<User[]>('/api/users')
    expect(users.body.map((user) => user.username).sort()).toEqual(['admin', 'alice'])
    expect(users.body.find((user) => user.username === 'admin')).toMatchObject({ isAdmin: true, active: true })
    // Everyone may still see the directory of people to add to a document.
    expect((await person.get('/api/people')).status).toBe(200)
  })

  it('refuse a username that is taken, whatever its case, with 409', async () => {
    const body = { password: PASSWORD, displayName: 'Another Alice', affiliation: 'counsel' }
    expectError(await admin.post('/api/users', { ...body, username: 'alice' }), 409, 'username_taken')
    expectError(await admin.post('/api/users', { ...body, username: ' ALICE ' }), 409, 'username_taken')
    const created = await admin.post<User>('/api/users', { ...body, username: 'alice2' })
    expect(created.status).toBe(201)
    expect(created.body).toEqual({
      username: 'alice2',
      displayName: 'Another Alice',
      affiliation: 'counsel',
      isAdmin: false,
      active: true,
    })
  })
})

describe('the origin check', () => {
  let admin: ApiClient
  beforeEach(async () => {
    admin = await setUpAdmin(server)
  })

  it('refuses state-changing requests from a foreign Origin and serves those without one', async () => {
    const foreign = new ApiClient(server, 'https://evil.example')
    foreign.cookie = admin.cookie
    expectError(await foreign.post('/api/documents', { title: 'Forged' }), 403, 'bad_origin')
    expectError(await foreign.delete('/api/session'), 403, 'bad_origin')
    expectError(await foreign.post('/api/session', { username: 'admin', password: PASSWORD }), 403, 'bad_origin')
    // Reading is not state-changing.
    expect((await foreign.get('/api/documents')).body).toEqual([])

    const noOrigin = await admin.post('/api/documents', { title: 'From a script' })
    expect(noOrigin.status).toBe(201)
    const sameOrigin = new ApiClient(server, server.origin)
    sameOrigin.cookie = admin.cookie
    expect((await sameOrigin.post('/api/documents', { title: 'From the browser' })).status).toBe(201)

    const titles = (await admin.get<DocumentSummary[]>('/api/documents')).body.map((document) => document.title)
    expect(titles.sort()).toEqual(['From a script', 'From the browser'])
    // The forged sign-out did not end the session.
    expect((await admin.get('/api/session')).status).toBe(200)
  })
})

describe('documents', () => {
  let admin: ApiClient
  let documentId: string
  beforeEach(async () => {
    admin = await setUpAdmin(server)
    documentId = (await createDocument(admin, 'MOU: School Resource Officers')).id
  })

  it('answer a non-member exactly as they answer a document that does not exist', async () => {
    const stranger = await createPerson(admin, 'stranger')
    const missing = crypto.randomUUID()
    const attempts: [string, string, unknown?][] = [
      ['GET', ''],
      ['GET', '/members'],
      ['PATCH', '', { title: 'Mine now' }],
      ['PUT', '/members/stranger', { role: 'owner' }],
      ['DELETE', '/members/admin'],
    ]
    for (const [method, suffix, body] of attempts) {
      const notMember = await stranger.request(method, `/api/documents/${documentId}${suffix}`, body)
      const nonexistent = await admin.request(method, `/api/documents/${missing}${suffix}`, body)
      expectError(notMember, 404, 'not_found')
      expect(nonexistent.status).toBe(404)
      expect(nonexistent.body).toEqual(notMember.body)
    }
    expect((await admin.get<DocumentSummary>(`/api/documents/${documentId}`)).body.title).toBe('MOU: School Resource Officers')
    expect((await admin.get<Member[]>(`/api/documents/${documentId}/members`)).body.map((m) => m.username)).toEqual(['admin'])
  })

  it('answer an id that is not a UUID with the same 404', async () => {
    const reference = await admin.get(`/api/documents/${crypto.randomUUID()}`)
    for (const id of ['123', 'not-a-uuid', `${documentId}x`, "1' OR '1'='1", '..%2F..%2Fetc']) {
      const response = await admin.get(`/api/documents/${id}`)
      expectError(response, 404, 'not_found')
      expect(response.body).toEqual(reference.body)
    }
  })

  it('check access before validating the body', async () => {
    const stranger = await createPerson(admin, 'stranger')
    const reviewer = await createPerson(admin, 'reviewer')
    await addMember(admin, documentId, 'reviewer', 'reviewer')

    expectError(await stranger.patch(`/api/documents/${documentId}`, { title: 42 }), 404, 'not_found')
    expectError(await reviewer.put(`/api/documents/${documentId}/members/stranger`, { role: 'emperor' }), 403, 'forbidden')
    expectError(await reviewer.patch(`/api/documents/${documentId}`, { nonsense: true }), 403, 'forbidden')
    // The same invalid bodies from the owner are validation errors.
    expectError(await admin.patch(`/api/documents/${documentId}`, { title: 42 }), 400, 'invalid_request')
    const { message } = expectError(
      await admin.put(`/api/documents/${documentId}/members/stranger`, { role: 'emperor' }),
      400,
      'invalid_request',
    )
    expect(message).toContain('Role must be one of: owner, drafter, reviewer, clerk, viewer.')
  })

  it('let owners add (201), change (200) and remove (204) members', async () => {
    const liaison = await createPerson(admin, 'liaison', 'police-liaison', 'Officer Lee')
    const members = `/api/documents/${documentId}/members`

    expectError(await liaison.get(`/api/documents/${documentId}`), 404, 'not_found')
    const added = await admin.put<Member>(`${members}/liaison`, { role: 'drafter' })
    expect(added.status).toBe(201)
    expect(added.body).toEqual({ username: 'liaison', displayName: 'Officer Lee', affiliation: 'police-liaison', role: 'drafter' })
    expect((await liaison.get<DocumentSummary>(`/api/documents/${documentId}`)).body.role).toBe('drafter')

    const changed = await admin.put<Member>(`${members}/liaison`, { role: 'clerk' })
    expect(changed.status).toBe(200)
    expect(changed.body.role).toBe('clerk')
    const list = await admin.get<Member[]>(members)
    expect(list.body.map((member) => [member.username, member.role])).toEqual([
      ['liaison', 'clerk'],
      ['admin', 'owner'],
    ])

    const removed = await admin.delete(`${members}/liaison`)
    expect(removed.status).toBe(204)
    expect(removed.body).toBeNull()
    expect((await admin.get<Member[]>(members)).body.map((member) => member.username)).toEqual(['admin'])
    expectError(await liaison.get(`/api/documents/${documentId}`), 404, 'not_found')
    expectError(await admin.delete(`${members}/liaison`), 404, 'member_not_found')
  })

  it('refuse to add an unknown or deactivated account', async () => {
    await createPerson(admin, 'leaver')
    expect((await admin.patch('/api/users/leaver', { active: false })).status).toBe(200)
    expectError(await admin.put(`/api/documents/${documentId}/members/nobody`, { role: 'viewer' }), 404, 'user_not_found')
    expectError(await admin.put(`/api/documents/${documentId}/members/leaver`, { role: 'viewer' }), 404, 'user_not_found')
    expect((await admin.get<Member[]>(`/api/documents/${documentId}/members`)).body).toHaveLength(1)
  })

  it('never leave a document without an owner', async () => {
    const members = `/api/documents/${documentId}/members`
    expectError(await admin.put(`${members}/admin`, { role: 'drafter' }), 409, 'last_owner')
    expectError(await admin.delete(`${members}/admin`), 409, 'last_owner')
    expect((await admin.get<DocumentSummary>(`/api/documents/${documentId}`)).body.role).toBe('owner')

    const coOwner = await createPerson(admin, 'coowner')
    await addMember(admin, documentId, 'coowner', 'owner')
    const demoted = await admin.put<Member>(`${members}/admin`, { role: 'viewer' })
    expect(demoted.status).toBe(200)
    expect(demoted.body.role).toBe('viewer')
    // Now coowner is the only owner and is protected in turn.
    expectError(await coOwner.delete(`${members}/coowner`), 409, 'last_owner')
    expectError(await coOwner.put(`${members}/coowner`, { role: 'clerk' }), 409, 'last_owner')
    expect((await coOwner.put(`${members}/coowner`, { role: 'owner' })).status).toBe(200)
  })

  it('do not let a drafter manage members or the document', async () => {
    const drafter = await createPerson(admin, 'drafter')
    await createPerson(admin, 'friend')
    await addMember(admin, documentId, 'drafter', 'drafter')
    expectError(await drafter.put(`/api/documents/${documentId}/members/friend`, { role: 'viewer' }), 403, 'forbidden')
    expectError(await drafter.put(`/api/documents/${documentId}/members/drafter`, { role: 'owner' }), 403, 'forbidden')
    expectError(await drafter.delete(`/api/documents/${documentId}/members/admin`), 403, 'forbidden')
    expectError(await drafter.patch(`/api/documents/${documentId}`, { title: 'Drafter’s MOU' }), 403, 'forbidden')
    const members = await drafter.get<Member[]>(`/api/documents/${documentId}/members`)
    expect(members.body.map((member) => [member.username, member.role])).toEqual([
      ['drafter', 'drafter'],
      ['admin', 'owner'],
    ])
  })

  it('can be renamed and archived by an owner, and restored', async () => {
    const path = `/api/documents/${documentId}`
    const renamed = await admin.patch<DocumentSummary>(path, { title: '  MOU: Revised  ' })
    expect(renamed.status).toBe(200)
    expect(renamed.body).toMatchObject({ id: documentId, title: 'MOU: Revised', status: 'active', role: 'owner' })
    expect((await admin.get<DocumentSummary>(path)).body.title).toBe('MOU: Revised')

    const { message } = expectError(await admin.patch(path, {}), 400, 'invalid_request')
    expect(message).toBe('Send a title or a status to change.')
    expectError(await admin.patch(path, { status: 'deleted' }), 400, 'invalid_request')

    const archived = await admin.patch<DocumentSummary>(path, { status: 'archived' })
    expect(archived.body).toMatchObject({ title: 'MOU: Revised', status: 'archived' })
    expect((await admin.get<DocumentSummary[]>('/api/documents')).body[0]?.status).toBe('archived')
    // Members can still be managed, so an owner can hand an archived document on.
    await createPerson(admin, 'successor')
    expect((await admin.put(`${path}/members/successor`, { role: 'owner' })).status).toBe(201)

    const restored = await admin.patch<DocumentSummary>(path, { status: 'active' })
    expect(restored.body.status).toBe('active')
  })

  it('refuse edits once archived: connected editors lose write access and new ones never get it', async () => {
    const drafter = await createPerson(admin, 'drafter')
    await addMember(admin, documentId, 'drafter', 'drafter')
    const socket = track(await connectSynced(server, documentId, drafter))
    expect(socket.sessions).toEqual([{ role: 'drafter', canEdit: true }])

    expect((await admin.patch(`/api/documents/${documentId}`, { status: 'archived' })).status).toBe(200)
    await waitFor(() => socket.sessions.length === 2, 'the drafter to be admitted again')
    expect(socket.closes[0]?.code).toBe(CloseCode.AccessChanged)
    expect(socket.sessions[1]).toEqual({ role: 'drafter', canEdit: false })

    const ownerSocket = track(await connectSynced(server, documentId, admin))
    expect(ownerSocket.sessions).toEqual([{ role: 'owner', canEdit: false }])

    expect((await admin.patch(`/api/documents/${documentId}`, { status: 'active' })).status).toBe(200)
    await waitFor(() => socket.sessions.length === 3, 'the drafter to get write access back')
    expect(socket.sessions[2]).toEqual({ role: 'drafter', canEdit: true })
  })

  it('are listed only to their members, with the caller’s role and who is online', async () => {
    const other = await createDocument(admin, 'MOU: Parks')
    const reviewer = await createPerson(admin, 'reviewer', 'counsel', 'Rita Reviewer')
    const liaison = await createPerson(admin, 'liaison', 'police-liaison', 'Officer Lee')
    const outsider = await createPerson(admin, 'outsider')
    await addMember(admin, documentId, 'reviewer', 'reviewer')
    await addMember(admin, documentId, 'liaison', 'drafter')

    const before = await reviewer.get<DocumentSummary[]>('/api/documents')
    expect(before.body).toEqual([
      {
        id: documentId,
        title: 'MOU: School Resource Officers',
        status: 'active',
        role: 'reviewer',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        online: [],
      },
    ])
    expect((await outsider.get('/api/documents')).body).toEqual([])
    const adminList = await admin.get<DocumentSummary[]>('/api/documents')
    expect(adminList.body.map((document) => [document.id, document.role]).sort()).toEqual(
      [
        [documentId, 'owner'],
        [other.id, 'owner'],
      ].sort(),
    )

    const socket = track(new CollabClient(server, documentId, liaison.cookie))
    await socket.synced()
    const officerLee = { username: 'liaison', displayName: 'Officer Lee', affiliation: 'police-liaison' }
    const during = await reviewer.get<DocumentSummary[]>('/api/documents')
    expect(during.body.map((document) => document.online)).toEqual([[officerLee]])
    expect((await reviewer.get<DocumentSummary>(`/api/documents/${documentId}`)).body.online).toEqual([officerLee])
    const adminDuring = (await admin.get<DocumentSummary[]>('/api/documents')).body
    expect(adminDuring.find((document) => document.id === other.id)?.online).toEqual([])

    socket.destroy()
    const deadline = Date.now() + 5000
    let online: unknown[] = [officerLee]
    while (online.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      online = (await reviewer.get<DocumentSummary>(`/api/documents/${documentId}`)).body.online
    }
    expect(online).toEqual([])
  })
})

describe('account administration', () => {
  let admin: ApiClient
  beforeEach(async () => {
    admin = await setUpAdmin(server)
  })

  it('deactivating someone ends all their sessions and sockets, and keeps them out', async () => {
    const alice = await createPerson(admin, 'alice')
    const aliceElsewhere = await signIn(server, 'alice')
    const documentId = (await createDocument(admin)).id
    await addMember(admin, documentId, 'alice', 'drafter')
    const socket = track(await connectSynced(server, documentId, alice))

    const response = await admin.patch<User>('/api/users/alice', { active: false })
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({ username: 'alice', active: false })

    expectError(await alice.get('/api/documents'), 401, 'unauthenticated')
    expectError(await aliceElsewhere.get('/api/session'), 401, 'unauthenticated')
    await waitFor(() => socket.closes.some((close) => close.code === CloseCode.Unauthorized), 'the socket to be closed')
    expectError(await new ApiClient(server).post('/api/session', { username: 'alice', password: PASSWORD }), 401, 'invalid_credentials')
    expect((await admin.get<{ username: string }[]>('/api/people')).body.map((person) => person.username)).toEqual(['admin'])

    // Reactivating lets her sign in afresh but does not revive the old sessions.
    expect((await admin.patch<User>('/api/users/alice', { active: true })).body.active).toBe(true)
    expectError(await alice.get('/api/documents'), 401, 'unauthenticated')
    expect((await (await signIn(server, 'alice')).get('/api/documents')).status).toBe(200)
  })

  it('never deactivates or demotes the last active admin', async () => {
    expectError(await admin.patch('/api/users/admin', { active: false }), 409, 'last_admin')
    expectError(await admin.patch('/api/users/admin', { isAdmin: false }), 409, 'last_admin')
    expect((await admin.get<{ user: User }>('/api/session')).body.user).toMatchObject({ isAdmin: true, active: true })

    const second = await admin.post<User>('/api/users', {
      username: 'second',
      password: PASSWORD,
      displayName: 'Second Admin',
      affiliation: 'board-member',
      isAdmin: true,
    })
    expect(second.body.isAdmin).toBe(true)
    const other = await signIn(server, 'second')
    expect((await admin.patch('/api/users/admin', { active: false })).status).toBe(200)
    expectError(await admin.get('/api/session'), 401, 'unauthenticated')
    // The remaining admin is now the last one.
    expectError(await other.patch('/api/users/second', { active: false }), 409, 'last_admin')
    expect((await other.patch<User>('/api/users/admin', { active: true })).body.active).toBe(true)
  })

  it('answers 404 for an account that does not exist', async () => {
    expectError(await admin.patch('/api/users/nobody', { active: false }), 404, 'user_not_found')
    expectError(await admin.patch('/api/users/Not Valid!', { active: false }), 404, 'user_not_found')
    expectError(await admin.post('/api/users/nobody/password', { password: 'a new password 1' }), 404, 'user_not_found')
  })

  it('resetting a password signs the person out and only the new password works', async () => {
    const alice = await createPerson(admin, 'alice')
    const newPassword = 'a brand new passphrase'

    const { message } = expectError(await admin.post('/api/users/alice/password', { password: 'short' }), 400, 'invalid_request')
    expect(message).toContain('Passwords need at least 10 characters.')
    expect((await alice.get('/api/session')).status).toBe(200)

    const reset = await admin.post('/api/users/alice/password', { password: newPassword })
    expect(reset.status).toBe(204)
    expectError(await alice.get('/api/session'), 401, 'unauthenticated')
    expectError(await new ApiClient(server).post('/api/session', { username: 'alice', password: PASSWORD }), 401, 'invalid_credentials')
    const again = await signIn(server, 'alice', newPassword)
    expect((await again.get<{ user: User }>('/api/session')).body.user.username).toBe('alice')
    // The admin who did it stays signed in.
    expect((await admin.get('/api/session')).status).toBe(200)
  })
})
