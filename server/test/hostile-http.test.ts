import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { loadConfig } from '../src/config.js'
import { createLogger } from '../src/logger.js'
import { startServer } from '../src/server.js'
import { ApiClient, createDocument, createPerson, PASSWORD, setUpAdmin, signIn } from './support/api.js'
import { startTestServer, tempDataDir, type TestServer } from './support/server.js'

let server: TestServer
const closers: Array<() => Promise<void>> = []

afterEach(async () => {
  for (const close of closers.splice(0)) await close()
  await server?.close()
})

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
  return { status: response.status, body: (await response.json()) as { error: string; message: string } }
}

describe('cross-site requests', () => {
  it('are refused on every state-changing method, by Origin or by Sec-Fetch-Site, and so are socket upgrades', async () => {
    server = await startTestServer()
    const admin = await setUpAdmin(server)
    const documentId = (await createDocument(admin)).id
    const crossSite: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: server.origin, 'sec-fetch-site': 'cross-site' },
    ]
    for (const headers of crossSite) {
      for (const [method, path, body] of [
        ['POST', '/api/documents', { title: 'Forged' }],
        ['PATCH', `/api/documents/${documentId}`, { title: 'Forged' }],
        ['PUT', `/api/documents/${documentId}/members/admin`, { role: 'viewer' }],
        ['DELETE', '/api/session', undefined],
        ['POST', '/api/session', { username: 'admin', password: PASSWORD }],
      ] as const) {
        const response = await fetch(`${server.url}${path}`, {
          method,
          headers: { cookie: admin.cookie!, 'content-type': 'application/json', ...headers },
          body: body && JSON.stringify(body),
        })
        expect(response.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(403)
        expect(((await response.json()) as { error: string }).error).toBe('bad_origin')
      }
      const upgrade = await new Promise<number>((resolve) => {
        const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/collab/${documentId}`, { headers: { cookie: admin.cookie!, ...headers } })
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode!))
        socket.on('open', () => resolve(101))
        socket.on('error', () => {})
      })
      expect(upgrade).toBe(403)
    }
    // Our own pages, and a person typing the address, pass; so do scripts that say nothing.
    const ownSite: Record<string, string>[] = [{ origin: server.origin, 'sec-fetch-site': 'same-origin' }, { 'sec-fetch-site': 'none' }, {}]
    for (const headers of ownSite) {
      const response = await fetch(`${server.url}/api/documents/${documentId}`, {
        method: 'PATCH',
        headers: { cookie: admin.cookie!, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ title: 'Renamed' }),
      })
      expect(response.status).toBe(200)
    }
    expect((await admin.get('/api/documents')).body.map((d: { title: string }) => d.title)).toEqual(['Renamed'])
  })
})

describe('hostile JSON bodies', () => {
  it('answer oversized bodies 413, deep nesting and prototype keys 400, and pollute nothing', async () => {
    server = await startTestServer()
    const admin = await setUpAdmin(server)
    const cookie = { cookie: admin.cookie! }

    const oversized = await post('/api/documents', JSON.stringify({ title: 'x'.repeat(70_000) }), cookie)
    expect(oversized).toMatchObject({ status: 413, body: { error: 'too_large' } })
    const oversizedLogin = await post('/api/session', JSON.stringify({ username: 'admin', password: 'x'.repeat(20_000) }))
    expect(oversizedLogin).toMatchObject({ status: 413, body: { error: 'too_large' } })

    const deep = '{"title":' + '['.repeat(30_000) + ']'.repeat(30_000) + '}'
    expect(await post('/api/documents', deep, cookie)).toMatchObject({ status: 400, body: { error: 'invalid_request' } })
    const deepObject = '{"a":'.repeat(2_500) + '1' + '}'.repeat(2_500)
    expect(await post('/api/session', deepObject)).toMatchObject({ status: 400, body: { error: 'invalid_request' } })

    for (const body of [
      '{"title":"MOU","__proto__":{"isAdmin":true,"polluted":true}}',
      '{"title":"MOU","constructor":{"prototype":{"polluted":true}}}',
      '{"username":"x1","password":"long enough pw","displayName":"X","affiliation":"other","__proto__":{"isAdmin":true}}',
    ]) {
      const target = body.includes('username') ? '/api/users' : '/api/documents'
      expect(await post(target, body, cookie)).toMatchObject({ status: 400, body: { error: 'invalid_request' } })
    }
    const login = await post('/api/session', '{"username":"admin","password":"wrong password","__proto__":{"isAdmin":true}}')
    expect(login).toMatchObject({ status: 400, body: { error: 'invalid_request' } })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
    expect((await admin.get('/api/documents')).body).toEqual([])
    expect((await admin.get('/api/users')).body.map((u: { username: string }) => u.username)).toEqual(['admin'])
  })
})

describe('sign-in', () => {
  it('is limited per account and per address, with Retry-After', async () => {
    server = await startTestServer(tempDataDir(), { LOGIN_FAILURES_PER_ACCOUNT: '3', LOGIN_FAILURES_PER_ADDRESS: '6' })
    const admin = await setUpAdmin(server)
    await Promise.all([createPerson(admin, 'maria'), createPerson(admin, 'officer')])
    const guesses = await Promise.all([0, 1, 2].map((i) => post('/api/session', JSON.stringify({ username: 'maria', password: `guess number ${i}` }))))
    expect(guesses.map((guess) => guess.status)).toEqual([401, 401, 401])
    const locked = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'maria', password: PASSWORD }),
    })
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
    // The account is locked, not the address: another person still signs in.
    expect((await signIn(server, 'officer')).cookie).toBeTruthy()

    // Guessing across accounts from one address runs into the address's own limit.
    const across = await Promise.all(['nobody1', 'nobody2', 'nobody3'].map((username) => post('/api/session', JSON.stringify({ username, password: 'a wrong guess' }))))
    expect(across.map((guess) => guess.status)).toEqual([401, 401, 401])
    expect((await post('/api/session', JSON.stringify({ username: 'officer', password: PASSWORD }))).status).toBe(429)
  })

  it('never adopts a session token it did not issue, issues a fresh one, and revokes it on sign-out', async () => {
    server = await startTestServer()
    const admin = await setUpAdmin(server)
    await createPerson(admin, 'maria')
    const attacker = await createPerson(admin, 'mallory')
    const planted = attacker.cookie!

    // Mallory plants her own session cookie (and then an invented one) in Maria's browser.
    for (const cookie of [planted, 'accord_session=chosen-by-the-attacker']) {
      const maria = new ApiClient(server)
      maria.cookie = cookie
      const signedIn = await maria.post('/api/session', { username: 'maria', password: PASSWORD })
      expect(signedIn.status).toBe(200)
      expect(maria.cookie).not.toBe(cookie)
      expect((await maria.get('/api/session')).body.user.username).toBe('maria')
      const stale = new ApiClient(server)
      stale.cookie = cookie
      const before = await stale.get('/api/session')
      expect(before.status === 401 || before.body.user.username === 'mallory').toBe(true)

      const token = maria.cookie
      expect((await maria.delete('/api/session')).status).toBe(204)
      const revoked = new ApiClient(server)
      revoked.cookie = token
      expect((await revoked.get('/api/session')).status).toBe(401)
    }
  })
})

describe('comment event streams', () => {
  it('are capped per person like sockets (429), and a closed one makes room', async () => {
    server = await startTestServer(tempDataDir(), { COLLAB_SOCKETS_PER_PERSON: '2' })
    const admin = await setUpAdmin(server)
    const documentId = (await createDocument(admin)).id
    const open = async () => {
      const abort = new AbortController()
      const response = await fetch(`${server.url}/api/documents/${documentId}/events`, { headers: { cookie: admin.cookie! }, signal: abort.signal })
      const body = response.status === 200 ? null : await response.json()
      return { status: response.status, body, close: () => abort.abort() }
    }
    const first = await open()
    const second = await open()
    expect([first.status, second.status]).toEqual([200, 200])
    const third = await open()
    expect(third).toMatchObject({ status: 429, body: { error: 'too_many_streams' } })
    first.close()
    await expect
      .poll(async () => {
        const attempt = await open()
        attempt.close()
        return attempt.status
      })
      .toBe(200)
    second.close()
  })
})

describe('security headers', () => {
  const REQUIRED_CSP = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ]

  it('come with every answer: pages, assets, API answers and errors', async () => {
    const clientDir = tempDataDir()
    fs.mkdirSync(path.join(clientDir, 'assets'))
    fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>Accord</title><script type="module" src="/assets/app.js"></script>')
    fs.writeFileSync(path.join(clientDir, 'assets', 'app.js'), 'console.log("app")')
    fs.writeFileSync(path.join(clientDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDataDir(), LOG_LEVEL: 'silent', PUBLIC_URL: 'https://accord.example.org' }, clientDir)
    const running = await startServer(config, createLogger('silent'))
    closers.push(() => running.close())
    server = { ...running, dataDir: config.dataDir, origin: config.publicOrigin }

    for (const [pathname, status] of [
      ['/', 200],
      ['/documents/3a0f4a56-5a4b-4f6e-9f38-7d2a1c0b9e11', 200],
      ['/assets/app.js', 200],
      ['/favicon.svg', 200],
      ['/api/health', 200],
      ['/api/session', 401],
      ['/api/nothing-here', 401],
      ['/api/documents/%zz', 401],
      ['/missing.js', 200],
    ] as const) {
      const response = await fetch(`${running.url}${pathname}`)
      expect(response.status, pathname).toBe(status)
      const csp = response.headers.get('content-security-policy') ?? ''
      for (const directive of REQUIRED_CSP) expect(csp, pathname).toContain(directive)
      expect(csp).toContain("connect-src 'self' wss://accord.example.org")
      expect(csp).not.toContain('unsafe-inline')
      expect(csp).not.toContain('unsafe-eval')
      expect(response.headers.get('x-content-type-options'), pathname).toBe('nosniff')
      expect(response.headers.get('referrer-policy'), pathname).toBe('same-origin')
      expect(response.headers.get('x-frame-options'), pathname).toBe('DENY')
    }
    // The page itself carries no inline script or style for the policy to block.
    const page = await (await fetch(`${running.url}/`)).text()
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    expect(page).not.toMatch(/<style|style="/)
  })

  it('let the export preview frame an HTML export under its own policy: no script, no request, framed only by us', async () => {
    server = await startTestServer()
    const admin = await setUpAdmin(server)
    const documentId = (await createDocument(admin)).id
    const response = await fetch(`${server.url}/api/documents/${documentId}/export?format=html&disposition=inline`, { headers: { cookie: admin.cookie! } })
    expect(response.status).toBe(200)
    const csp = response.headers.get('content-security-policy')!
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain('sandbox')
    expect(csp).toContain("frame-ancestors 'self'")
    expect(csp).not.toContain("frame-ancestors 'none'")
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  })
})
