import * as prng from 'lib0/prng'
import * as Y from 'yjs'
import { addMember, createPerson } from './api.js'
import { waitFor } from './collab.js'
import { checkStoredDocument, converged } from './convergence.js'
import { ControlledClient } from './controlledClient.js'
import { spawnServer, startAccordProcess, type ServerProcess } from './process.js'
import { documentFingerprint, randomEdit } from './randomEdits.js'
import { readStoredDocument } from './storedDocument.js'

export interface CrashLoopRun {
  seed: number
  /** Stop after this many kills, or at `deadline` (a Date.now() value), whichever comes first. */
  kills: number
  deadline?: number
  clients?: number
}

export interface CrashLoopResult {
  kills: number
  /** Edits made by the clients. */
  operations: number
  /** Acknowledged ("Saved") edits missing after a restart, counted in Yjs clock units: must be 0. */
  editsLost: number
  /** Kills that landed while the document was being unloaded (its snapshot being written). */
  killsDuringUnload: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Kills the server with SIGKILL at random moments while clients edit, restarts it on the same
 * DATA_DIR, and checks after each restart, before the clients reconnect (they would resend
 * what they have), that every edit the server acknowledged as saved is loaded, that the file
 * passes `PRAGMA integrity_check`, and then that all clients converge. Some kills land while
 * everyone has just left, when the server writes the document's snapshot.
 */
export async function runCrashLoop(run: CrashLoopRun): Promise<CrashLoopResult> {
  const gen = prng.create(run.seed)
  const started = await startAccordProcess()
  const { dataDir, port, remote, admin, documentId } = started
  let child: ServerProcess = started.child
  const liaison = await createPerson(admin, 'liaison', 'police-liaison')
  await addMember(admin, documentId, 'liaison', 'drafter')
  const cookies = Array.from({ length: run.clients ?? 3 }, (_, index) => (index % 2 === 0 ? admin.cookie! : liaison.cookie!))
  const clients = cookies.map((cookie) => new ControlledClient(remote, documentId, cookie))
  const result: CrashLoopResult = { kills: 0, operations: 0, editsLost: 0, killsDuringUnload: 0 }
  const fail = (what: string) => new Error(`crash loop failed, replay with SEED=${run.seed}: ${what}\nserver output:\n${child.output().slice(-4000)}`)
  try {
    await Promise.all(clients.map((client) => client.connect()))
    while (result.kills < run.kills && (run.deadline === undefined || Date.now() < run.deadline)) {
      // Edit until the kill, which comes at a random moment, sometimes just after everyone left.
      const killAt = Date.now() + prng.int32(gen, 20, 600)
      const duringUnload = prng.real53(gen) < 0.3
      while (Date.now() < killAt) {
        randomEdit(gen, prng.oneOf(gen, clients).doc)
        result.operations++
        await sleep(prng.int32(gen, 0, 4))
      }
      if (duringUnload) {
        for (const client of clients) client.disconnect()
        await sleep(prng.int32(gen, 0, 30))
        result.killsDuringUnload++
      }
      child.child.kill('SIGKILL')
      await child.exited
      result.kills++
      const acknowledged = clients.map((client) => ({ client: client.doc.clientID, clock: client.savedVector.get(client.doc.clientID) ?? 0 }))

      // Offline edits while the server is down.
      for (let index = prng.int32(gen, 0, 10); index > 0; index--) {
        randomEdit(gen, prng.oneOf(gen, clients).doc)
        result.operations++
      }
      for (const client of clients) client.disconnect()
      const stored = await readStoredDocument(dataDir, documentId)
      stored.fromSnapshot.destroy()
      stored.fromLog.destroy()
      if (stored.integrity !== 'ok') throw fail(`integrity_check after kill ${result.kills}: ${stored.integrity}`)

      child = await spawnServer(dataDir, port)
      const loaded = await loadAsNewcomer(remote, documentId, cookies[0]!)
      if (loaded === null) throw fail(`after kill ${result.kills}, a newcomer could not load the document`)
      for (const { client, clock } of acknowledged) result.editsLost += Math.max(0, clock - (loaded.get(client) ?? 0))

      await Promise.all(clients.map((client) => client.connect()))
      await waitFor(() => converged(clients), 'the clients to converge after a restart', 20_000).catch(() => {
        throw fail(`the clients did not converge after kill ${result.kills}`)
      })
    }
    const expected = documentFingerprint(clients[0]!.doc)
    for (const client of clients) client.disconnect()
    child.child.kill('SIGTERM')
    if ((await child.exited) !== 0) throw fail('the server did not stop cleanly on SIGTERM')
    await checkStoredDocument(dataDir, documentId, expected, run.seed)
    return result
  } finally {
    for (const client of clients) client.destroy()
    if (child.child.exitCode === null && child.child.signalCode === null) {
      child.child.kill('SIGKILL')
      await child.exited
    }
  }
}

/** The state vector a fresh client loads: everything the server says it has stored. */
async function loadAsNewcomer(target: { url: string; origin: string }, documentId: string, cookie: string): Promise<Map<number, number> | null> {
  const reader = new ControlledClient(target, documentId, cookie)
  try {
    await reader.connect()
    await waitFor(
      () => reader.savedMessages > 0 && [...reader.savedVector].every(([client, clock]) => Y.getState(reader.doc.store, client) >= clock),
      'a newcomer to load what is stored',
    )
    return Y.decodeStateVector(Y.encodeStateVector(reader.doc))
  } catch {
    return null
  } finally {
    reader.destroy()
  }
}
