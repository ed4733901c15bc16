import type { ApiError, CommentThread, InboxItem, Role } from '@accord/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addMember, ApiClient, createDocument, createPerson, setUpAdmin, type ApiResponse } from './support/api.js'
import { EventStream } from './support/eventStream.js'
import { startTestServer, type TestServer } from './support/server.js'

let server: TestServer
let owner: ApiClient
let documentId: string
const people = {} as Record<Role, ApiClient>
const streams: EventStream[] = []

const ANCHOR = { start: 'AQLs3Z6ZBRAA', end: 'AQLs3Z6ZBRcA', clauseId: 'clause-1' }
const newThread = (body = 'Should this say "may" instead of "shall"?') => ({ body, quote: 'shall notify', anchor: ANCHOR })
const threadsPath = (id = documentId) => `/api/documents/${id}/threads`

beforeEach(async () => {
  server = await startTestServer()
  owner = await setUpAdmin(server)
  documentId = (await createDocument(owner)).id
  people.owner = owner
  for (const role of ['drafter', 'reviewer', 'clerk', 'viewer'] as const) {
    people[role] = await createPerson(owner, role, role === 'reviewer' ? 'counsel' : 'community-member')
    await addMember(owner, documentId, role, role)
  }
})

afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close()
  await server.close()
})

function expectError(response: ApiResponse, status: number, code?: string): ApiError {
  expect(response.status).toBe(status)
  const body = response.body as ApiError
  expect(Object.keys(body).sort()).toEqual(['error', 'message'])
  if (code) expect(body.error).toBe(code)
  expect(body.message.length).toBeGreaterThan(10)
  return body
}

async function startThread(by: ApiClient, body?: string): Promise<CommentThread> {
  const response = await by.post<CommentThread>(threadsPath(), newThread(body))
  expect(response.status).toBe(201)
  return response.body
}

const listThreads = async () => (await owner.get<CommentThread[]>(threadsPath())).body

describe('the role × action matrix', () => {
  it('lets every member read, and reviewers, clerks, drafters and owners (not viewers) comment and reply', async () => {
    const first = await startThread(people.reviewer)
    for (const role of ['owner', 'drafter', 'reviewer', 'clerk', 'viewer'] as const) {
      const client = people[role]
      const listed = await client.get<CommentThread[]>(threadsPath())
      expect(listed.status).toBe(200)
      expect(listed.body.map((thread) => thread.id)).toContain(first.id)
      const created = await client.post(threadsPath(), newThread(`From the ${role}`))
      const reply = await client.post(`${threadsPath()}/${first.id}/comments`, { body: `Reply from the ${role}` })
      if (role === 'viewer') {
        expectError(created, 403, 'forbidden')
        expectError(reply, 403, 'forbidden')
      } else {
        expect(created.status).toBe(201)
        expect(reply.status).toBe(201)
      }
    }
    const threads = await listThreads()
    expect(threads.map((thread) => thread.author.username).sort()).toEqual(['admin', 'clerk', 'drafter', 'reviewer', 'reviewer'])
    expect(threads.find((thread) => thread.id === first.id)!.comments.map((comment) => comment.author.username)).toEqual([
      'reviewer',
      'admin',
      'drafter',
      'reviewer',
      'clerk',
    ])
  })

  it('lets the thread’s author, drafters and owners resolve and reopen it, and nobody else', async () => {
    const thread = await startThread(people.reviewer)
    const path = `${threadsPath()}/${thread.id}`
    expectError(await people.clerk.patch(path, { status: 'resolved' }), 403, 'forbidden')
    expectError(await people.viewer.patch(path, { status: 'resolved' }), 403, 'forbidden')
    expect((await listThreads())[0]!.status).toBe('open')
    for (const role of ['reviewer', 'drafter', 'owner'] as const) {
      const resolved = await people[role].patch<CommentThread>(path, { status: 'resolved' })
      expect(resolved.status).toBe(200)
      expect(resolved.body).toMatchObject({ status: 'resolved', resolvedBy: { username: people[role] === owner ? 'admin' : role } })
      const reopened = await people[role].patch<CommentThread>(path, { status: 'open' })
      expect(reopened.body).toMatchObject({ status: 'open', resolvedBy: null, resolvedAt: null })
    }
  })

  it('refuses comments on an archived document but still lets members read them', async () => {
    const thread = await startThread(people.reviewer)
    expect((await owner.patch(`/api/documents/${documentId}`, { status: 'archived' })).status).toBe(200)
    expectError(await people.reviewer.post(threadsPath(), newThread()), 403, 'forbidden')
    expectError(await people.drafter.post(`${threadsPath()}/${thread.id}/comments`, { body: 'Late' }), 403, 'forbidden')
    expect((await people.viewer.get<CommentThread[]>(threadsPath())).body).toHaveLength(1)
  })
})

describe('authorship', () => {
  it('is the session’s person: a body naming another author is refused and changes nothing', async () => {
    const forged = await people.reviewer.post(threadsPath(), { ...newThread(), author: 'admin' })
    expect(expectError(forged, 400, 'invalid_request').message).toMatch(/author/)
    const thread = await startThread(people.reviewer)
    const forgedReply = await people.reviewer.post(`${threadsPath()}/${thread.id}/comments`, { body: 'Hi', authorId: 1 })
    expectError(forgedReply, 400, 'invalid_request')
    const threads = await listThreads()
    expect(threads).toHaveLength(1)
    expect(threads[0]!.comments).toHaveLength(1)
    expect(threads[0]!.author.username).toBe('reviewer')
  })

  it('lets only the author edit or delete a comment; edits are marked and deletes leave a tombstone', async () => {
    const thread = await startThread(people.reviewer)
    const comment = thread.comments[0]!
    const path = `${threadsPath()}/${thread.id}/comments/${comment.id}`
    for (const role of ['owner', 'drafter', 'clerk', 'viewer'] as const) {
      expectError(await people[role].patch(path, { body: 'Rewritten by someone else' }), 403)
      expectError(await people[role].delete(path), 403)
    }
    expect((await listThreads())[0]!.comments[0]).toMatchObject({ body: comment.body, editedAt: null, deletedAt: null })

    const edited = await people.reviewer.patch<CommentThread>(path, { body: 'Clearer question' })
    expect(edited.status).toBe(200)
    expect(edited.body.comments[0]).toMatchObject({ body: 'Clearer question', editedAt: expect.any(String) })

    const deleted = await people.reviewer.delete<CommentThread>(path)
    expect(deleted.status).toBe(200)
    expect(deleted.body.comments[0]).toMatchObject({ id: comment.id, body: null, deletedAt: expect.any(String) })
    expect((await listThreads())[0]!.comments).toHaveLength(1)
    expectError(await people.reviewer.patch(path, { body: 'Back again' }), 409, 'comment_deleted')
  })

  it('checks who may act before looking at the body', async () => {
    const thread = await startThread(people.reviewer)
    const path = `${threadsPath()}/${thread.id}/comments/${thread.comments[0]!.id}`
    expectError(await people.drafter.patch(path, 'not json at all {'), 400, 'invalid_json')
    expectError(await people.drafter.patch(path, { body: 42 }), 403, 'forbidden')
    expectError(await people.viewer.post(threadsPath(), { nonsense: true }), 403, 'forbidden')
    expectError(await people.clerk.patch(`${threadsPath()}/${thread.id}`, { status: 'weird' }), 403, 'forbidden')
  })
})

describe('isolation between documents', () => {
  it('never shows or changes a thread through another document’s id', async () => {
    const thread = await startThread(people.reviewer)
    const other = (await createDocument(owner, 'Another MOU')).id
    await addMember(owner, other, 'reviewer', 'reviewer')
    const elsewhere = `/api/documents/${other}/threads/${thread.id}`
    expectError(await people.reviewer.get(elsewhere), 404, 'not_found')
    expectError(await people.reviewer.patch(elsewhere, { status: 'resolved' }), 404, 'not_found')
    expectError(await people.reviewer.post(`${elsewhere}/comments`, { body: 'Sneaky' }), 404, 'not_found')
    expectError(await people.reviewer.delete(`${elsewhere}/comments/${thread.comments[0]!.id}`), 404, 'not_found')
    expect((await people.reviewer.get(`/api/documents/${other}/threads`)).body).toEqual([])

    const outsider = await createPerson(owner, 'outsider')
    expectError(await outsider.get(threadsPath()), 404, 'not_found')
    expectError(await outsider.post(threadsPath(), newThread()), 404, 'not_found')
    const [stored] = await listThreads()
    expect(stored).toMatchObject({ status: 'open', comments: [{ body: thread.comments[0]!.body }] })
  })
})

describe('validation', () => {
  it('refuses oversized and malformed bodies with 400 and stores nothing', async () => {
    const attempts: unknown[] = [
      { ...newThread(), body: 'x'.repeat(5001) },
      { ...newThread(), body: '   ' },
      { ...newThread(), quote: 'q'.repeat(2001) },
      { ...newThread(), quote: '' },
      { ...newThread(), anchor: { ...ANCHOR, start: 'not base64!' } },
      { ...newThread(), anchor: { ...ANCHOR, end: 'A'.repeat(1004) } },
      { ...newThread(), anchor: { start: ANCHOR.start, end: ANCHOR.end } },
      { ...newThread(), anchor: { ...ANCHOR, clauseId: '"><script>' } },
      { body: 'No anchor at all' },
      [newThread()],
    ]
    for (const body of attempts) expectError(await people.reviewer.post(threadsPath(), body), 400, 'invalid_request')
    expectError(await people.reviewer.post(threadsPath(), '{"body": '), 400, 'invalid_json')
    expect(await listThreads()).toEqual([])
  })

  it('refuses script and HTML in a comment, and keeps document text in the quote as literal text', async () => {
    for (const body of ['<script>alert(1)</script>', 'Look <img src=x onerror=alert(1)>', 'javascript:alert(1)']) {
      const refused = await people.reviewer.post(threadsPath(), newThread(body))
      expect(expectError(refused, 400, 'invalid_request').message).toBe('A comment may not contain HTML, scripts or control characters.')
    }
    const quote = 'the <img src=x onerror=alert(1)> clause'
    const created = await people.reviewer.post<CommentThread>(threadsPath(), { ...newThread('Is 5 < 7 & 9 > 3?'), quote })
    expect(created.status).toBe(201)
    const [stored] = await listThreads()
    expect(stored).toMatchObject({ quote, comments: [{ body: 'Is 5 < 7 & 9 > 3?' }] })
    const thread = stored!
    const reply = await people.drafter.post(`${threadsPath()}/${thread.id}/comments`, { body: '<b>bold</b>' })
    expectError(reply, 400, 'invalid_request')
    expect((await listThreads())[0]!.comments).toHaveLength(1)
  })

  it('answers unknown and malformed thread ids with 404', async () => {
    expectError(await people.reviewer.get(`${threadsPath()}/not-a-uuid`), 404, 'not_found')
    expectError(await people.reviewer.post(`${threadsPath()}/${crypto.randomUUID()}/comments`, { body: 'Hi' }), 404, 'not_found')
  })
})

describe('mentions and the Inbox', () => {
  it('tells mentioned members and the thread’s author, and is marked read per person', async () => {
    const outsider = await createPerson(owner, 'outsider')
    const thread = await startThread(people.reviewer, 'Can @drafter and @outsider look? cc @nobody')
    const reply = await people.clerk.post(`${threadsPath()}/${thread.id}/comments`, { body: 'Agree with @reviewer.' })
    expect(reply.status).toBe(201)

    const drafterInbox = (await people.drafter.get<InboxItem[]>('/api/inbox')).body
    expect(drafterInbox).toMatchObject([{ kind: 'mention', read: false, threadId: thread.id, from: { username: 'reviewer' }, quote: 'shall notify' }])
    // Not a member: no item. The author hears about the reply once, as a mention.
    expect((await outsider.get<InboxItem[]>('/api/inbox')).body).toEqual([])
    const reviewerInbox = (await people.reviewer.get<InboxItem[]>('/api/inbox')).body
    expect(reviewerInbox).toMatchObject([{ kind: 'mention', from: { username: 'clerk' }, excerpt: 'Agree with @reviewer.' }])
    // A reply without a mention is a "reply" item.
    await people.drafter.post(`${threadsPath()}/${thread.id}/comments`, { body: 'Done.' })
    expect((await people.reviewer.get<InboxItem[]>('/api/inbox')).body.map((item) => item.kind)).toEqual(['reply', 'mention'])

    expectError(await people.clerk.post(`/api/inbox/${drafterInbox[0]!.id}/read`), 404, 'not_found')
    expect((await people.drafter.post(`/api/inbox/${drafterInbox[0]!.id}/read`)).status).toBe(204)
    expect((await people.drafter.get<InboxItem[]>('/api/inbox')).body[0]!.read).toBe(true)
  })
})

/** The document's event stream for `client`, closed after the test. */
async function openStream(client: ApiClient, lastEventId?: string): Promise<EventStream> {
  const stream = await EventStream.open(server.url, documentId, client, lastEventId)
  streams.push(stream)
  return stream
}

describe('the event stream', () => {
  it('starts with every thread, then carries each change live to every member', async () => {
    const existing = await startThread(people.reviewer)
    const viewer = await openStream(people.viewer)
    expect(viewer.status).toBe(200)
    const opening = await viewer.next((event) => event.event === 'threads')
    expect((opening.data as CommentThread[]).map((thread) => thread.id)).toEqual([existing.id])

    await people.drafter.patch(`${threadsPath()}/${existing.id}`, { status: 'resolved' })
    const change = await viewer.next((event) => event.event === 'thread')
    expect(change.data).toMatchObject({ id: existing.id, status: 'resolved', resolvedBy: { username: 'drafter' } })
    expect(Number(change.id)).toBeGreaterThan(Number(opening.id))
  })

  it('catches a reconnecting client up on everything since its Last-Event-ID', async () => {
    const first = await startThread(people.reviewer)
    const stream = await openStream(people.clerk)
    const opening = await stream.next((event) => event.event === 'threads')
    stream.close()

    // While the clerk is away: a reply on the old thread, and a new thread.
    await people.drafter.post(`${threadsPath()}/${first.id}/comments`, { body: 'Answered.' })
    const second = await startThread(people.owner, 'Another point')

    const resumed = await openStream(people.clerk, opening.id)
    await expect.poll(() => resumed.events.length, { timeout: 5000 }).toBe(2)
    expect(resumed.events.map((event) => event.event)).toEqual(['thread', 'thread'])
    expect(resumed.events.map((event) => (event.data as CommentThread).id)).toEqual([first.id, second.id])
    expect((resumed.events[0]!.data as CommentThread).comments.map((comment) => comment.body)).toEqual([first.comments[0]!.body, 'Answered.'])

    // Nothing is repeated for a client that is up to date.
    const upToDate = await openStream(people.clerk, resumed.events[1]!.id)
    await startThread(people.reviewer, 'Third')
    const third = await upToDate.next()
    expect((third.data as CommentThread).comments[0]!.body).toBe('Third')
    expect(upToDate.events).toHaveLength(1)
  })

  it('is not opened for a non-member or without a session, and closes when a member is removed', async () => {
    const outsider = await createPerson(owner, 'outsider')
    expect((await openStream(outsider)).status).toBe(404)
    expect((await openStream(new ApiClient(server))).status).toBe(401)

    const reviewer = await openStream(people.reviewer)
    await reviewer.next((event) => event.event === 'threads')
    expect((await owner.delete(`/api/documents/${documentId}/members/reviewer`)).status).toBe(204)
    await expect.poll(() => reviewer.ended, { timeout: 5000 }).toBe(true)
    await startThread(people.drafter, 'After the removal')
    expect(reviewer.events.filter((event) => event.event === 'thread')).toEqual([])
  })
})
