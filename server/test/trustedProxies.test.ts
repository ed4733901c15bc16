import { afterEach, describe, expect, it } from 'vitest'
import { setUpAdmin } from './support/api.js'
import { startTestServer, tempDataDir, type TestServer } from './support/server.js'

let server: TestServer

afterEach(async () => {
  await server.close()
})

/** A failed sign-in as it arrives through a proxy that says who the client is. */
async function failSignIn(forwardedFor: string): Promise<number> {
  const response = await fetch(`${server.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ username: 'owner', password: 'not the password at all' }),
  })
  await response.text()
  return response.status
}

describe('per-address limits behind a reverse proxy', () => {
  it('count each client the trusted proxy names, not the proxy, and ignore what a client adds in front', async () => {
    server = await startTestServer(tempDataDir(), { TRUSTED_PROXIES: '127.0.0.1', LOGIN_FAILURES_PER_ADDRESS: '2', LOGIN_FAILURES_PER_ACCOUNT: '100' })
    await setUpAdmin(server, 'owner')
    expect(await failSignIn('203.0.113.7')).toBe(401)
    expect(await failSignIn('198.51.100.1, 203.0.113.7')).toBe(401)
    // The third failure from 203.0.113.7 (whatever it claims before it) is refused.
    expect(await failSignIn('192.0.2.99, 203.0.113.7')).toBe(429)
    // Another school behind the same proxy is not.
    expect(await failSignIn('203.0.113.8')).toBe(401)
  })

  it('believe no X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    server = await startTestServer(tempDataDir(), { LOGIN_FAILURES_PER_ADDRESS: '2', LOGIN_FAILURES_PER_ACCOUNT: '100' })
    await setUpAdmin(server, 'owner')
    expect(await failSignIn('203.0.113.7')).toBe(401)
    expect(await failSignIn('203.0.113.8')).toBe(401)
    expect(await failSignIn('203.0.113.9')).toBe(429)
  })

  it('refuse a TRUSTED_PROXIES that is not a list of addresses', async () => {
    await expect(startTestServer(tempDataDir(), { TRUSTED_PROXIES: 'nginx.internal' })).rejects.toThrow(/TRUSTED_PROXIES/)
    server = await startTestServer()
  })
})
