import * as prng from 'lib0/prng'
import { isDeepStrictEqual } from 'node:util'
import { ControlledClient, type CollabTarget } from './controlledClient.js'
import { waitFor } from './collab.js'
import { documentFingerprint, randomEdit } from './randomEdits.js'
import { hasPending, readStoredDocument } from './storedDocument.js'

export interface ConvergenceRun {
  seed: number
  target: CollabTarget
  documentId: string
  /** One session cookie per client; clients of one person share it, as two tabs would. */
  cookies: string[]
  steps: number
}

export interface ConvergenceResult {
  /** Edits made, plus network events played (holds, releases, buffers, deliveries, cuts, rejoins). */
  operations: number
  fingerprint: ReturnType<typeof documentFingerprint>
}

const SETTLE_MS = 8_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Drives `cookies.length` clients through `steps` random edits and network faults (messages
 * held back and released reordered, received messages buffered and applied reordered, lost
 * connections with offline edits, everyone leaving at once so the server unloads and writes a
 * snapshot), then heals the network and checks that every client, and a fresh client joining
 * afterwards, hold the same document and that every client's edits are acknowledged as stored.
 *
 * A seed fixes the sequence of choices; the network's timing still varies between runs.
 * Throws an error naming the seed (replay it with SEED=<seed>).
 */
export async function runConvergence(run: ConvergenceRun): Promise<ConvergenceResult> {
  const gen = prng.create(run.seed)
  const clients = run.cookies.map((cookie) => new ControlledClient(run.target, run.documentId, cookie))
  let operations = 0
  try {
    await Promise.all(clients.map((client) => client.connect()))
    for (let step = 0; step < run.steps; step++) {
      const client = prng.oneOf(gen, clients)
      const roll = prng.real53(gen)
      if (roll < 0.62) {
        randomEdit(gen, client.doc)
      } else if (roll < 0.7) {
        if (client.pendingOut > 0) client.release(gen)
        else client.hold()
      } else if (roll < 0.78) {
        if (client.pendingIn > 0) client.deliver(gen)
        else client.buffer()
      } else if (roll < 0.88) {
        if (client.connected) client.disconnect()
        else await client.connect()
      } else if (roll < 0.89) {
        // Everyone leaves: the server stores what is pending, writes a snapshot, unloads.
        for (const each of clients) each.disconnect()
        await sleep(prng.int32(gen, 0, 300))
        await Promise.all(clients.map((each) => each.connect()))
      }
      operations++
      await sleep(prng.int32(gen, 0, 2))
    }

    // Heal the network: everyone connected, nothing held back or buffered.
    for (const client of clients) {
      if (!client.connected) await client.connect()
      client.release(gen)
      client.deliver(gen)
    }
    await settle(run, clients)
    const fingerprint = documentFingerprint(clients[0]!.doc)

    const joiner = new ControlledClient(run.target, run.documentId, run.cookies[0]!)
    try {
      await joiner.connect()
      await waitFor(() => isDeepStrictEqual(documentFingerprint(joiner.doc), fingerprint), 'a fresh client to load the same document', SETTLE_MS).catch(
        () => {
          throw failure(run, 'a fresh client loaded a different document', { expected: fingerprint, joiner: documentFingerprint(joiner.doc) })
        },
      )
    } finally {
      joiner.destroy()
    }
    return { operations, fingerprint }
  } finally {
    for (const client of clients) client.destroy()
  }
}

/** Every client connected, its own edits acknowledged as stored, and all holding the same document. */
export function converged(clients: ControlledClient[]): boolean {
  if (!clients.every((client) => client.connected && client.saved && !hasPending(client.doc))) return false
  const first = documentFingerprint(clients[0]!.doc)
  return clients.every((client) => isDeepStrictEqual(documentFingerprint(client.doc), first))
}

async function settle(run: ConvergenceRun, clients: ControlledClient[]): Promise<void> {
  await waitFor(() => converged(clients), 'the clients to converge', SETTLE_MS).catch(() => {
    throw failure(run, 'the clients did not converge', {
      clients: clients.map((client) => ({
        connected: client.connected,
        saved: client.saved,
        pending: hasPending(client.doc),
        closes: client.closes,
        refusals: client.refusals.map((refusal) => refusal.code),
        ...documentFingerprint(client.doc),
      })),
    })
  })
  const refused = clients.flatMap((client) => client.refusals).filter((refusal) => refusal.code !== 'missing_dependencies')
  if (refused.length > 0) throw failure(run, 'the server refused a valid edit', { refused })
}

/** Checks that the SQLite file (server stopped) holds `expected`, read both from its snapshot and from the log alone. */
export async function checkStoredDocument(dataDir: string, documentId: string, expected: ConvergenceResult['fingerprint'], seed: number): Promise<void> {
  const stored = await readStoredDocument(dataDir, documentId)
  try {
    if (stored.integrity !== 'ok') throw new Error(`SEED=${seed}: integrity_check says ${stored.integrity}`)
    for (const [how, doc] of [['snapshot and later updates', stored.fromSnapshot], ['update log alone', stored.fromLog]] as const) {
      const actual = documentFingerprint(doc)
      if (hasPending(doc) || !isDeepStrictEqual(actual, expected)) {
        throw new Error(`SEED=${seed}: the document rebuilt from the ${how} differs\n${JSON.stringify({ expected, actual }, null, 1)}`)
      }
    }
  } finally {
    stored.fromSnapshot.destroy()
    stored.fromLog.destroy()
  }
}

function failure(run: ConvergenceRun, what: string, details: unknown): Error {
  return new Error(`convergence failed, replay with SEED=${run.seed}: ${what}\n${JSON.stringify(details, null, 1).slice(0, 20_000)}`)
}
