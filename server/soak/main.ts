/**
 * npm run soak -- --minutes N [--seed S]
 *
 * The long versions of the fault tests, for the time given (default 5 minutes): convergence
 * runs with many seeds (more clients, more steps than `npm test`), the crash loop (SIGKILL
 * at random moments, restart, check) and seeded hostile input (fuzz.ts). Prints a summary; exits 1 if an edit was lost, a run
 * failed or the server crashed. Parts run one after another (the machine has two cores).
 */
import { parseArgs } from 'node:util'
import { addMember, createDocument, createPerson, setUpAdmin } from '../test/support/api.js'
import { checkStoredDocument, runConvergence, type ConvergenceResult } from '../test/support/convergence.js'
import { runCrashLoop } from '../test/support/crashLoop.js'
import { startTestServer } from '../test/support/server.js'
import { runFuzz } from './fuzz.js'

export interface SoakTotals {
  operations: number
  seedsRun: number
  killsSurvived: number
  editsLost: number
  fuzzCasesTried: number
  /** Server crashes seen by a part (must be 0). */
  crashes: number
  /** Runs that failed, each with the seed that replays it (must be none). */
  failures: string[]
  notes: string[]
}

export interface SoakPart {
  name: string
  /** Its share of the time, relative to the other parts'. */
  weight: number
  run(deadline: number, totals: SoakTotals, nextSeed: () => number): Promise<void>
}

const CONVERGENCE_SEEDS_PER_SERVER = 8

const convergence: SoakPart = {
  name: 'convergence',
  weight: 1,
  async run(deadline, totals, nextSeed) {
    while (Date.now() < deadline) {
      const server = await startTestServer()
      const owner = await setUpAdmin(server, 'owner')
      const people = [owner, await createPerson(owner, 'liaison', 'police-liaison'), await createPerson(owner, 'member')]
      const finished: Array<{ seed: number; documentId: string; result: ConvergenceResult }> = []
      for (let run = 0; run < CONVERGENCE_SEEDS_PER_SERVER && Date.now() < deadline; run++) {
        const seed = nextSeed()
        const documentId = (await createDocument(owner, `Soak ${seed}`)).id
        await addMember(owner, documentId, 'liaison', 'drafter')
        await addMember(owner, documentId, 'member', 'drafter')
        const clients = 3 + (seed % 3)
        const cookies = Array.from({ length: clients }, (_, index) => people[index % people.length]!.cookie!)
        try {
          const result = await runConvergence({ seed, target: server, documentId, cookies, steps: 400 })
          totals.operations += result.operations
          finished.push({ seed, documentId, result })
        } catch (error) {
          totals.failures.push(`convergence: ${(error as Error).message.slice(0, 2000)}`)
        }
        totals.seedsRun++
      }
      const { dataDir } = server
      await server.close()
      for (const { seed, documentId, result } of finished) {
        try {
          await checkStoredDocument(dataDir, documentId, result.fingerprint, seed)
        } catch (error) {
          totals.failures.push(`convergence (stored): ${(error as Error).message.slice(0, 2000)}`)
        }
      }
    }
  },
}

const crashLoop: SoakPart = {
  name: 'crash loop',
  weight: 1,
  async run(deadline, totals, nextSeed) {
    while (Date.now() < deadline - 5_000) {
      const seed = nextSeed()
      try {
        const result = await runCrashLoop({ seed, kills: 20, deadline })
        totals.operations += result.operations
        totals.killsSurvived += result.kills
        totals.editsLost += result.editsLost
        if (result.editsLost > 0) totals.failures.push(`crash loop: SEED=${seed} lost ${result.editsLost} acknowledged edits`)
      } catch (error) {
        totals.failures.push(`crash loop: ${(error as Error).message.slice(0, 2000)}`)
      }
      totals.seedsRun++
    }
  },
}

/** Hostile input (fuzz.ts): damaged updates, junk frames, carets and floods at the real server. */
const fuzz: SoakPart = {
  name: 'fuzz',
  weight: 1,
  async run(deadline, totals) {
    const result = await runFuzz(deadline)
    totals.fuzzCasesTried += result.casesTried
    totals.crashes += result.crashes
    totals.notes.push(...result.notes)
  },
}

/** The parts of a soak, in the order they run. */
const parts: SoakPart[] = [convergence, crashLoop, fuzz]

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '5' }, seed: { type: 'string' } } })
const minutes = Number(values.minutes)
if (!(minutes > 0)) {
  process.stderr.write('--minutes must be a positive number\n')
  process.exit(2)
}
let seed = values.seed ? Number(values.seed) : Date.now() % 1_000_000
const firstSeed = seed
const totals: SoakTotals = { operations: 0, seedsRun: 0, killsSurvived: 0, editsLost: 0, fuzzCasesTried: 0, crashes: 0, failures: [], notes: [] }
const started = Date.now()
const end = started + minutes * 60_000
const totalWeight = parts.reduce((sum, part) => sum + part.weight, 0)
let partStart = started
for (const part of parts) {
  const deadline = part === parts.at(-1) ? end : partStart + ((end - started) * part.weight) / totalWeight
  process.stdout.write(`soak: ${part.name} until ${new Date(deadline).toISOString()}\n`)
  try {
    await part.run(deadline, totals, () => seed++)
  } catch (error) {
    totals.failures.push(`${part.name}: ${(error as Error).stack ?? String(error)}`)
  }
  partStart = Math.max(Date.now(), deadline)
}

const fuzzIncluded = parts.some((part) => part.name === 'fuzz')
const lines = [
  `soak summary (${((Date.now() - started) / 60_000).toFixed(1)} min, seeds ${firstSeed}..${seed - 1})`,
  `  operations:        ${totals.operations}`,
  `  seeds run:         ${totals.seedsRun}`,
  `  kills survived:    ${totals.killsSurvived}`,
  `  edits lost:        ${totals.editsLost} (must be 0)`,
  `  fuzz cases tried:  ${fuzzIncluded ? totals.fuzzCasesTried : '0 (not in this run)'}`,
  `  crashes:           ${totals.crashes} (must be 0)`,
  `  failed runs:       ${totals.failures.length} (must be 0)`,
  ...totals.notes.map((note) => `  note: ${note}`),
  ...totals.failures.map((failure) => `  FAILED ${failure}`),
]
process.stdout.write(lines.join('\n') + '\n')
process.exit(totals.editsLost === 0 && totals.crashes === 0 && totals.failures.length === 0 ? 0 : 1)
