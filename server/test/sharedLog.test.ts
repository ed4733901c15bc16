import * as Y from 'yjs'
import { afterEach, describe, expect, it } from 'vitest'
import { SharedLogReads } from '../src/persistence/sharedLog.js'
import type { StoredState } from '../src/persistence/updateLog.js'
import { createDocument, setUpAdmin } from './support/api.js'
import { connectSynced, waitFor, type CollabClient } from './support/collab.js'
import { startTestServer, type TestServer } from './support/server.js'

let server: TestServer
let client: CollabClient | null = null

afterEach(async () => {
  client?.destroy()
  await server.close()
})

/** What a load reads, without a snapshot: every row through `throughId`. */
function storedThrough(documentId: string, throughId: number): StoredState {
  const rows = server.db.prepare('SELECT id, data FROM document_updates WHERE document_id = ? AND id <= ? ORDER BY id').all(documentId, throughId) as {
    id: number
    data: Buffer
  }[]
  return {
    snapshot: null,
    snapshotStateVector: null,
    updates: rows.map((row) => new Uint8Array(row.data)),
    lastUpdateId: rows.at(-1)?.id ?? 0,
    clientOwners: new Map(),
  }
}

const snapshotRow = (documentId: string) =>
  server.db.prepare('SELECT state, through_update_id AS through FROM document_snapshots WHERE document_id = ?').get(documentId) as
    | { state: Buffer; through: number }
    | undefined

describe('snapshots built from the stored rows (several instances sharing one log)', () => {
  it('hold exactly the stored rows, and an older one never replaces a newer one', async () => {
    server = await startTestServer()
    const owner = await setUpAdmin(server)
    const documentId = (await createDocument(owner)).id
    client = await connectSynced(server, documentId, owner)
    for (let i = 0; i < 5; i++) client.appendParagraph(`Paragraph ${i}`)
    await waitFor(() => client!.saved, 'the edits to be stored')
    const newest = (server.db.prepare('SELECT max(id) AS id FROM document_updates WHERE document_id = ?').get(documentId) as { id: number }).id

    const reads = new SharedLogReads(server.db)
    // Whatever an instance's memory holds, the snapshot is what the rows hold.
    expect(reads.compact(documentId, storedThrough(documentId, newest))).toEqual({ throughUpdateId: newest, written: true })
    const written = snapshotRow(documentId)!
    expect(written.through).toBe(newest)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, written.state)
    expect(doc.getXmlFragment('default').toString()).toBe(client.doc.getXmlFragment('default').toString())

    // A slower instance, compacting from an older read, does not go backwards.
    expect(reads.compact(documentId, storedThrough(documentId, newest - 1))).toEqual({ throughUpdateId: newest - 1, written: false })
    expect(snapshotRow(documentId)!.through).toBe(newest)
    expect(Buffer.compare(snapshotRow(documentId)!.state, written.state)).toBe(0)
  })
})
