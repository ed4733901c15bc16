import type { Affiliation, DocumentSummary, Role } from '@accord/shared'
import type { ServerAddress } from './server.js'

export interface ApiResponse<T = unknown> {
  status: number
  body: T
  headers: Headers
}

/** A signed-in (or anonymous) HTTP client that keeps its session cookie like a browser. */
export class ApiClient {
  cookie: string | null = null

  constructor(
    readonly server: ServerAddress,
    private readonly origin: string | null = null,
  ) {}

  async request<T = any>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {}
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (this.cookie) headers.cookie = this.cookie
    if (this.origin) headers.origin = this.origin
    const response = await fetch(`${this.server.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    const setCookie = response.headers.get('set-cookie')
    if (setCookie) this.cookie = setCookie.split(';')[0]!
    const text = await response.text()
    return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers }
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path)
  }
  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body)
  }
  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body)
  }
  patch<T = any>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body)
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path)
  }
}

export const PASSWORD = 'correct horse battery staple'

/** Creates the first admin through the one-time setup link, as a new installation would. */
export async function setUpAdmin(server: ServerAddress, username = 'admin'): Promise<ApiClient> {
  const token = new URL(server.setupUrl!).searchParams.get('token')
  const admin = new ApiClient(server)
  const response = await admin.post('/api/setup', {
    token,
    username,
    password: PASSWORD,
    displayName: 'Site Admin',
    affiliation: 'district-staff',
  })
  if (response.status !== 201) throw new Error(`setup failed: ${JSON.stringify(response.body)}`)
  return admin
}

export async function signIn(server: ServerAddress, username: string, password = PASSWORD): Promise<ApiClient> {
  const client = new ApiClient(server)
  const response = await client.post('/api/session', { username, password })
  if (response.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(response.body)}`)
  return client
}

export async function createPerson(
  admin: ApiClient,
  username: string,
  affiliation: Affiliation = 'community-member',
  displayName = username[0]!.toUpperCase() + username.slice(1),
): Promise<ApiClient> {
  const response = await admin.post('/api/users', { username, password: PASSWORD, displayName, affiliation })
  if (response.status !== 201) throw new Error(`create user failed: ${JSON.stringify(response.body)}`)
  return signIn(admin.server, username)
}

export async function createDocument(owner: ApiClient, title = 'MOU: District and Police'): Promise<DocumentSummary> {
  const response = await owner.post<DocumentSummary>('/api/documents', { title })
  if (response.status !== 201) throw new Error(`create document failed: ${JSON.stringify(response.body)}`)
  return response.body
}

export async function addMember(owner: ApiClient, documentId: string, username: string, role: Role): Promise<void> {
  const response = await owner.put(`/api/documents/${documentId}/members/${username}`, { role })
  if (response.status >= 300) throw new Error(`add member failed: ${JSON.stringify(response.body)}`)
}
