import { can, type CommentThread, type DocumentAction, type DocumentStatus, type Role } from '@accord/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, ApiClient, createDocument, createPerson, PASSWORD, setUpAdmin, signIn, type ApiResponse } from './support/api.js'
import { startTestServer, type TestServer } from './support/server.js'

/**
 * Every REST route, asked by everyone who might ask: each role on the document, a signed-in
 * person who is not a member, a site admin who is not a member, and nobody. The expected answer
 * comes from the route's gate: `can()` for document routes (so a route that checks the wrong
 * action fails here), site admins for administration, any session for the rest. Ids one may
 * not see answer 404, never 403.
 */

const WHO = ['owner', 'drafter', 'reviewer', 'clerk', 'viewer', 'non-member', 'site-admin', 'signed-out'] as const
type Who = (typeof WHO)[number]
const ROLES_OF: Partial<Record<Who, Role>> = { owner: 'owner', drafter: 'drafter', reviewer: 'reviewer', clerk: 'clerk', viewer: 'viewer' }

type Gate =
  | { kind: 'public' }
  | { kind: 'signed-in' }
  | { kind: 'site-admin' }
  /** A document route: members whose role may do `action` (and pass `also`), 403 for other members, 404 for everyone else. */
  | { kind: 'document'; action: DocumentAction; also?: (role: Role) => boolean }
  /** Only the owner of the thing (here: `owner`, who wrote it); any other member 403, the rest 404. */
  | { kind: 'author'; action: DocumentAction }
  /** Something only `owner` has (an Inbox item): anyone else is told it does not exist. */
  | { kind: 'own' }

interface World {
  status: DocumentStatus
  documentId: string
  /** A thread started by `owner`, whose first comment is `owner`'s. */
  threadId: string
  commentId: string
  templateId: string
  inboxItemOfOwner: number
}

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: (world: World, target: Target) => string
  body?: (world: World) => unknown
  gate: Gate
  /** Makes what this case will change or use up (a comment to delete, an account to create). */
  prepare?: (world: World) => Promise<Target>
  /** Puts things back after a case that succeeded (a document finalized, a template retired). */
  restore?: (world: World) => Promise<void>
  /** Document routes run against active, archived and final documents; the rest once. */
  everyStatus?: boolean
  stream?: boolean
}

type Target = { id?: string; username?: string }

let server: TestServer
let admin: ApiClient
const people = {} as Record<Exclude<Who, 'signed-out'>, ApiClient>
const worlds = {} as Record<DocumentStatus, World>
let accounts = 0

const ANCHOR = { start: 'AQLs3Z6ZBRAA', end: 'AQLs3Z6ZBRcA', clauseId: null }
const TEMPLATE = { title: 'Matrix clause', category: 'administration', summary: 'A clause for the matrix.', body: ['The Parties meet.'] }

const doc = (w: World) => `/api/documents/${w.documentId}`
const thread = (w: World) => `${doc(w)}/threads/${w.threadId}`

const ROUTES: Route[] = [
  { method: 'GET', path: () => '/api/health', gate: { kind: 'public' } },
  { method: 'GET', path: () => '/api/setup', gate: { kind: 'public' } },
  { method: 'GET', path: () => '/api/session', gate: { kind: 'signed-in' } },

  { method: 'GET', path: () => '/api/people', gate: { kind: 'signed-in' } },
  { method: 'GET', path: () => '/api/users', gate: { kind: 'site-admin' } },
  {
    method: 'POST',
    path: () => '/api/users',
    body: () => ({ username: `new${++accounts}`, password: PASSWORD, displayName: 'New Person', affiliation: 'other' }),
    gate: { kind: 'site-admin' },
  },
  { method: 'PATCH', path: () => '/api/users/dummy', body: () => ({ displayName: 'Dummy Person' }), gate: { kind: 'site-admin' } },
  { method: 'POST', path: () => '/api/users/dummy/password', body: () => ({ password: PASSWORD }), gate: { kind: 'site-admin' } },

  { method: 'GET', path: () => '/api/documents', gate: { kind: 'signed-in' } },
  { method: 'POST', path: () => '/api/documents', body: () => ({ title: 'Another MOU' }), gate: { kind: 'site-admin' } },
  { method: 'GET', path: (w) => doc(w), gate: { kind: 'document', action: 'read' }, everyStatus: true },
  { method: 'PATCH', path: (w) => doc(w), body: () => ({ title: 'MOU: renamed' }), gate: { kind: 'document', action: 'manageDocument' }, everyStatus: true },
  { method: 'GET', path: (w) => `${doc(w)}/members`, gate: { kind: 'document', action: 'read' }, everyStatus: true },
  {
    method: 'PUT',
    path: (w) => `${doc(w)}/members/viewer`,
    body: () => ({ role: 'viewer' }),
    gate: { kind: 'document', action: 'manageMembers' },
    everyStatus: true,
  },
  {
    method: 'DELETE',
    path: (w) => `${doc(w)}/members/spare`,
    prepare: async (w) => (await admin.put(`${doc(w)}/members/spare`, { role: 'viewer' }), {}),
    gate: { kind: 'document', action: 'manageMembers' },
    everyStatus: true,
  },

  { method: 'GET', path: (w) => `${doc(w)}/export?format=txt`, gate: { kind: 'document', action: 'export' }, everyStatus: true },
  { method: 'GET', path: (w) => `${doc(w)}/finals`, gate: { kind: 'document', action: 'read' }, everyStatus: true },
  {
    method: 'POST',
    path: (w) => `${doc(w)}/finalize`,
    gate: { kind: 'document', action: 'finalize' },
    restore: async (w) => {
      if (w.status === 'active') expect((await admin.post(`${doc(w)}/reopen`)).status).toBe(200)
    },
    everyStatus: true,
  },
  {
    method: 'POST',
    path: (w) => `${doc(w)}/reopen`,
    gate: { kind: 'document', action: 'reopen' },
    restore: async (w) => {
      if (w.status === 'final') expect((await admin.post(`${doc(w)}/finalize`)).status).toBe(201)
    },
    everyStatus: true,
  },

  { method: 'GET', path: (w) => `${doc(w)}/threads`, gate: { kind: 'document', action: 'read' }, everyStatus: true },
  {
    method: 'POST',
    path: (w) => `${doc(w)}/threads`,
    body: () => ({ body: 'Should this say "may"?', quote: 'shall', anchor: ANCHOR }),
    gate: { kind: 'document', action: 'comment' },
    everyStatus: true,
  },
  { method: 'GET', path: (w) => thread(w), gate: { kind: 'document', action: 'read' }, everyStatus: true },
  {
    method: 'PATCH',
    path: (w) => thread(w),
    body: () => ({ status: 'open' }),
    // The thread's author (owner here), and whoever may edit the text.
    gate: { kind: 'document', action: 'comment', also: (role) => role === 'owner' || can(role, 'edit') },
    everyStatus: true,
  },
  { method: 'POST', path: (w) => `${thread(w)}/comments`, body: () => ({ body: 'A reply' }), gate: { kind: 'document', action: 'comment' }, everyStatus: true },
  {
    method: 'PATCH',
    path: (w) => `${thread(w)}/comments/${w.commentId}`,
    body: () => ({ body: 'Edited by its author' }),
    gate: { kind: 'author', action: 'comment' },
    everyStatus: true,
  },
  {
    method: 'DELETE',
    path: (w, target) => `${thread(w)}/comments/${target.id}`,
    prepare: async (w) => {
      if (w.status === 'archived') return { id: w.commentId }
      const reply = await people.owner.post<CommentThread>(`${thread(w)}/comments`, { body: 'To be deleted' })
      return { id: reply.body.comments.at(-1)!.id }
    },
    gate: { kind: 'author', action: 'comment' },
    everyStatus: true,
  },
  { method: 'GET', path: (w) => `${doc(w)}/events`, gate: { kind: 'document', action: 'read' }, everyStatus: true, stream: true },

  { method: 'GET', path: () => '/api/inbox', gate: { kind: 'signed-in' } },
  // Someone else's Inbox item is no more visible than one that does not exist.
  { method: 'POST', path: (w) => `/api/inbox/${w.inboxItemOfOwner}/read`, gate: { kind: 'own' } },

  { method: 'GET', path: () => '/api/templates', gate: { kind: 'signed-in' } },
  { method: 'GET', path: (w) => `/api/templates/${w.templateId}`, gate: { kind: 'signed-in' } },
  { method: 'GET', path: (w) => `/api/templates/${w.templateId}/versions`, gate: { kind: 'signed-in' } },
  { method: 'POST', path: () => '/api/templates', body: () => TEMPLATE, gate: { kind: 'site-admin' } },
  { method: 'PUT', path: (w) => `/api/templates/${w.templateId}`, body: () => TEMPLATE, gate: { kind: 'site-admin' } },
  {
    method: 'DELETE',
    path: (w) => `/api/templates/${w.templateId}`,
    gate: { kind: 'site-admin' },
    restore: async (w) => void (await admin.post(`/api/templates/${w.templateId}/restore`)),
  },
  { method: 'POST', path: (w) => `/api/templates/${w.templateId}/restore`, gate: { kind: 'site-admin' } },
]

function expected(route: Route, who: Who, status: DocumentStatus): 'ok' | 401 | 403 | 404 {
  const gate = route.gate
  if (gate.kind === 'public') return 'ok'
  if (who === 'signed-out') return 401
  if (gate.kind === 'signed-in') return 'ok'
  if (gate.kind === 'site-admin') return who === 'site-admin' ? 'ok' : 403
  if (gate.kind === 'own') return who === 'owner' ? 'ok' : 404
  const role = ROLES_OF[who]
  if (!role) return 404
  if (!can(role, gate.action, status)) return 403
  if (gate.kind === 'author') return who === 'owner' ? 'ok' : 403
  return gate.also && !gate.also(role) ? 403 : 'ok'
}

async function ask(route: Route, who: Who, world: World): Promise<ApiResponse> {
  const target = (await route.prepare?.(world)) ?? {}
  const client = who === 'signed-out' ? new ApiClient(server) : people[who]
  const body = route.body?.(world)
  const headers: Record<string, string> = {}
  if (client.cookie) headers.cookie = client.cookie
  if (body !== undefined) headers['content-type'] = 'application/json'
  const abort = new AbortController()
  const response = await fetch(`${server.url}${route.path(world, target)}`, {
    method: route.method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: abort.signal,
  })
  const json = response.headers.get('content-type')?.startsWith('application/json')
  // An event stream never ends by itself: its status and headers are the answer.
  const parsed: unknown = json ? await response.json() : route.stream ? null : await response.text()
  abort.abort()
  return { status: response.status, body: parsed, headers: response.headers }
}

async function buildWorld(status: DocumentStatus): Promise<World> {
  const documentId = (await createDocument(admin, `MOU (${status})`)).id
  for (const role of ['owner', 'drafter', 'reviewer', 'clerk', 'viewer'] as const) await addMember(admin, documentId, role, role)
  await addMember(admin, documentId, 'spare', 'viewer')
  const started = await people.owner.post<CommentThread>(`/api/documents/${documentId}/threads`, {
    body: 'A question for @reviewer',
    quote: 'shall',
    anchor: ANCHOR,
  })
  expect(started.status).toBe(201)
  // A reply by the reviewer lands in the owner's Inbox (they started the thread).
  expect((await people.reviewer.post(`/api/documents/${documentId}/threads/${started.body.id}/comments`, { body: 'Agreed' })).status).toBe(201)
  const inbox = await people.owner.get<{ id: number }[]>('/api/inbox')
  if (status === 'archived') expect((await admin.patch(`/api/documents/${documentId}`, { status: 'archived' })).status).toBe(200)
  if (status === 'final') expect((await admin.post(`/api/documents/${documentId}/finalize`)).status).toBe(201)
  const templates = await admin.get<{ id: string }[]>('/api/templates')
  return {
    status,
    documentId,
    threadId: started.body.id,
    commentId: started.body.comments[0]!.id,
    templateId: templates.body[0]!.id,
    inboxItemOfOwner: inbox.body[0]!.id,
  }
}

beforeAll(async () => {
  server = await startTestServer()
  admin = await setUpAdmin(server, 'admin')
  // Password hashing dominates the setup; it runs off the main thread, so in parallel.
  const members = ['owner', 'drafter', 'reviewer', 'clerk', 'viewer', 'non-member'] as const
  const clients = await Promise.all(members.map((who) => createPerson(admin, who.replace('-', ''))))
  members.forEach((who, index) => (people[who] = clients[index]!))
  const created = await admin.post('/api/users', { username: 'sysadmin', password: PASSWORD, displayName: 'Sys Admin', affiliation: 'other', isAdmin: true })
  expect(created.status).toBe(201)
  ;[people['site-admin']] = await Promise.all([signIn(server, 'sysadmin'), createPerson(admin, 'spare'), createPerson(admin, 'dummy')])
  const built = await Promise.all((['active', 'archived', 'final'] as const).map((status) => buildWorld(status)))
  for (const world of built) worlds[world.status] = world
}, 60_000)

afterAll(async () => {
  await server.close()
})

describe('the role × route matrix', () => {
  for (const status of ['active', 'archived', 'final'] as const) {
    it(`answers every route as the gate says, on ${status === 'final' ? 'a final' : `an ${status}`} document`, async () => {
      const world = worlds[status]
      const mismatches: string[] = []
      let asked = 0
      for (const route of ROUTES) {
        if (status !== 'active' && !route.everyStatus) continue
        for (const who of WHO) {
          const want = expected(route, who, status)
          const response = await ask(route, who, world)
          asked++
          const ok = want === 'ok' ? response.status < 400 : response.status === want
          if (!ok) mismatches.push(`${route.method} ${route.path(world, {})} as ${who}: ${response.status}, expected ${want} (${JSON.stringify(response.body)})`)
          if (want !== 'ok' && response.status === want) {
            expect(Object.keys(response.body as object).sort(), `${route.method} ${route.path(world, {})} as ${who}`).toEqual(['error', 'message'])
          }
          if (want === 'ok' && response.status < 400) await route.restore?.(world)
        }
      }
      expect(mismatches).toEqual([])
      expect(asked).toBeGreaterThan(status === 'active' ? 250 : 120)
    }, 60_000)
  }

  it('agrees with the role table in the README for an active document', () => {
    const table: Record<Role, DocumentAction[]> = {
      owner: ['read', 'comment', 'edit', 'manageMembers', 'manageDocument', 'export', 'finalize'],
      drafter: ['read', 'comment', 'edit', 'export'],
      reviewer: ['read', 'comment'],
      clerk: ['read', 'comment', 'export', 'finalize'],
      viewer: ['read'],
    }
    for (const [role, actions] of Object.entries(table) as [Role, DocumentAction[]][]) {
      for (const action of ['read', 'comment', 'edit', 'manageMembers', 'manageDocument', 'export', 'finalize', 'reopen'] as const) {
        expect(can(role, action, 'active'), `${role} ${action}`).toBe(actions.includes(action))
      }
    }
  })
})

describe('ids one may not see', () => {
  it('answer exactly as ids that do not exist: 404 to whoever may otherwise act', async () => {
    const hidden = (await createDocument(admin, 'Not yours')).id
    const hiddenThread = await admin.post<CommentThread>(`/api/documents/${hidden}/threads`, { body: 'Private', quote: 'x', anchor: ANCHOR })
    const world = worlds.active
    const madeUp = crypto.randomUUID()
    const cases = (documentId: string, threadId: string, commentId: string): [string, string][] => [
      ['GET', `/api/documents/${documentId}`],
      ['GET', `/api/documents/${documentId}/threads`],
      ['GET', `/api/documents/${documentId}/export?format=txt`],
      ['GET', `/api/documents/${world.documentId}/threads/${threadId}`],
      ['POST', `/api/documents/${world.documentId}/threads/${threadId}/comments`],
      ['PATCH', `/api/documents/${world.documentId}/threads/${world.threadId}/comments/${commentId}`],
    ]
    const real = cases(hidden, hiddenThread.body.id, hiddenThread.body.comments[0]!.id)
    const invented = cases(madeUp, madeUp, madeUp)
    let notFound = 0
    for (const who of ['owner', 'drafter', 'reviewer', 'clerk', 'viewer', 'site-admin'] as const) {
      for (const [index, [method, path]] of real.entries()) {
        const body = method === 'GET' ? undefined : { body: 'Mine now' }
        const answer = await people[who].request(method, path, body)
        const control = await people[who].request(method, invented[index]![1], body)
        expect(answer.status, `${who} ${method} ${path}`).toBe(control.status)
        expect(answer.body, `${who} ${method} ${path}`).toEqual(control.body)
        expect([403, 404], `${who} ${method} ${path}`).toContain(answer.status)
        if (answer.status === 404) notFound++
      }
    }
    expect(notFound).toBeGreaterThan(25)
    expect((await admin.get<CommentThread>(`/api/documents/${hidden}/threads/${hiddenThread.body.id}`)).body.comments.map((c) => c.body)).toEqual([
      'Private',
    ])
  })
})
