import { afterEach, describe, expect, it } from 'vitest'
import { addMember, createDocument, createPerson, setUpAdmin } from './support/api.js'
import { checkStoredDocument, runConvergence } from './support/convergence.js'
import { startTestServer, type TestServer } from './support/server.js'

/** SEED=<n> replays one seed (printed by a failure); otherwise a few fixed ones. The soak runs many more. */
const SEEDS = process.env.SEED ? [Number(process.env.SEED)] : [1, 2, 3]

let server: TestServer | null = null

afterEach(async () => {
  await server?.close()
  server = null
})

describe('convergence', () => {
  it('clients editing through lost, delayed and reordered messages end identical: live, for a newcomer, and on disk', async () => {
    server = await startTestServer()
    const owner = await setUpAdmin(server, 'owner')
    const liaison = await createPerson(owner, 'liaison', 'police-liaison')
    const results = []
    for (const seed of SEEDS) {
      const documentId = (await createDocument(owner, `Seed ${seed}`)).id
      await addMember(owner, documentId, 'liaison', 'drafter')
      // Three people's screens, one of them in two tabs.
      const cookies = [owner.cookie!, owner.cookie!, liaison.cookie!]
      const result = await runConvergence({ seed, target: server, documentId, cookies, steps: 120 })
      expect(result.operations).toBe(120)
      results.push({ seed, documentId, result })
    }
    const { dataDir } = server
    await server.close()
    server = null
    for (const { seed, documentId, result } of results) {
      expect(result.fingerprint.content.length).toBeGreaterThan(0)
      await checkStoredDocument(dataDir, documentId, result.fingerprint, seed)
    }
  })
})
