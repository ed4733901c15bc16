/** The few Accord REST calls the benchmark needs (see docs/API.md), with the session cookie kept like a browser. */

export const BENCH_PASSWORD = 'benchmark password 1'

export class AccordApi {
  cookie: string | null = null

  constructor(readonly baseUrl: string) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {}
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (this.cookie) headers.cookie = this.cookie
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const setCookie = response.headers.get('set-cookie')
    if (setCookie) this.cookie = setCookie.split(';')[0]!
    const text = await response.text()
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T }
  }

  async expect<T>(status: number, method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.request<T>(method, path, body)
    if (response.status !== status) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`)
    return response.body
  }
}

/** The first admin, through the one-time setup link a new installation prints. */
export async function setUpAdmin(baseUrl: string, setupUrl: string): Promise<AccordApi> {
  const admin = new AccordApi(baseUrl)
  const token = new URL(setupUrl).searchParams.get('token')
  await admin.expect(201, 'POST', '/api/setup', {
    token,
    username: 'bench-admin',
    password: BENCH_PASSWORD,
    displayName: 'Bench Admin',
    affiliation: 'district-staff',
  })
  return admin
}

export async function createAccount(admin: AccordApi, username: string): Promise<AccordApi> {
  await admin.expect(201, 'POST', '/api/users', {
    username,
    password: BENCH_PASSWORD,
    displayName: username,
    affiliation: 'community-member',
  })
  const person = new AccordApi(admin.baseUrl)
  await person.expect(200, 'POST', '/api/session', { username, password: BENCH_PASSWORD })
  return person
}

export async function createDocument(owner: AccordApi, title: string): Promise<string> {
  const document = await owner.expect<{ id: string }>(201, 'POST', '/api/documents', { title })
  return document.id
}

export async function addMember(owner: AccordApi, documentId: string, username: string, role: string): Promise<void> {
  const response = await owner.request('PUT', `/api/documents/${documentId}/members/${username}`, { role })
  if (response.status !== 200 && response.status !== 201) {
    throw new Error(`add member ${username}: ${response.status} ${JSON.stringify(response.body)}`)
  }
}
