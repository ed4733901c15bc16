/**
 * npm run bench [-- --quick] [--reps N] [--only fanout,saturation,churn,many,cold,editor,scale] [--servers accord,reference,hocuspocus,relay]
 *                 [--cases 200x2,50x20] [--cpu-prof]
 *
 * Runs each scenario on each server in turn (A B C A B C ...), every server in its own process
 * and the load generator in another, then prints the table and writes it under bench/results/.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { FULL, QUICK } from './config.js'
import { Generator } from './generator.js'
import { emptyRun, type MetricDef, type RunMetrics } from './metrics.js'
import { buildRows, markdownTable, textTable, type Collected, type NotMeasured } from './report.js'
import { churnMetrics, runChurnScenario } from './scenarios/churn.js'
import { coldLoadMetrics, runColdLoadScenario } from './scenarios/coldLoad.js'
import { editorMetrics, runEditorScenario } from './scenarios/editor.js'
import { fanoutMetrics, runFanoutScenario } from './scenarios/fanout.js'
import { manyDocsMetrics, runManyDocsScenario } from './scenarios/manyDocs.js'
import { runSaturationScenario, saturationMetrics } from './scenarios/saturation.js'
import { runScaleOutScenario, SCALE_OUT_KINDS, scaleOutMetrics } from './scenarios/scaleOut.js'
import { waitForQuiet } from './quiet.js'
import { startServer } from './servers/index.js'
import { DOCUMENT_SERVERS, SERVER_KINDS, SERVER_LABELS, type BenchServer, type ServerKind } from './servers/types.js'
import { judgeTargets } from './targets.js'

const RESULTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'results')

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    only: { type: 'string' },
    servers: { type: 'string' },
    /** Fan-out cases to run, e.g. 200x2,50x20 (clients x writers). */
    cases: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
  },
})

const plan = structuredClone(args.quick ? QUICK : FULL)
if (args.cases) {
  const wanted = new Set(args.cases.split(','))
  plan.fanout.params.cases = plan.fanout.params.cases.filter((c) => wanted.has(`${c.clients}x${c.writers}`))
}
const only = args.only ? new Set(args.only.split(',')) : null
const kinds = (args.servers ? args.servers.split(',') : SERVER_KINDS) as ServerKind[]
for (const kind of kinds) if (!SERVER_KINDS.includes(kind)) throw new Error(`unknown server ${kind}`)
const stamp = new Date().toISOString().replace(/[:.]/g, '-')
const profileDir = args['cpu-prof'] ? path.join(RESULTS, 'profiles', stamp) : undefined
if (profileDir) fs.mkdirSync(profileDir, { recursive: true })

interface Scenario {
  id: string
  reps: number
  defs: MetricDef[]
  /** Start servers with the V8 inspector on loopback (to force a GC before memory readings). */
  inspect?: boolean
  /** Measures something only Accord has (its editor): the peers are not started. */
  accordOnly?: boolean
  /** Servers with what this scenario measures (the reference server cannot scale out); DOCUMENT_SERVERS if absent. */
  kinds?: readonly ServerKind[]
  run: (server: BenchServer, generator: Generator, run: RunMetrics) => Promise<void>
  /** Instead of `run`: the scenario starts its own servers (several instances of one). */
  deploys?: (kind: ServerKind, generator: Generator, run: RunMetrics) => Promise<void>
}

const allScenarios: Scenario[] = [
  {
    id: 'fanout',
    reps: plan.fanout.reps,
    kinds: SERVER_KINDS,
    defs: fanoutMetrics(plan.fanout.params),
    run: (server, generator, run) => runFanoutScenario(server, generator, plan.fanout.params, run),
  },
  ...(plan.saturation
    ? [
        {
          id: 'saturation',
          reps: plan.saturation.reps,
          defs: saturationMetrics(plan.saturation.params),
          run: (server: BenchServer, generator: Generator, run: RunMetrics) => runSaturationScenario(server, generator, plan.saturation!.params, run),
        },
      ]
    : []),
  ...(plan.churn
    ? [
        {
          id: 'churn',
          reps: plan.churn.reps,
          defs: churnMetrics(plan.churn.params),
          run: (server: BenchServer, generator: Generator, run: RunMetrics) => runChurnScenario(server, generator, plan.churn!.params, run),
        },
      ]
    : []),
  {
    id: 'many',
    reps: plan.manyDocs.reps,
    defs: manyDocsMetrics(plan.manyDocs.params),
    inspect: true,
    run: (server, generator, run) => runManyDocsScenario(server, generator, plan.manyDocs.params, run),
  },
  {
    id: 'cold',
    reps: plan.coldLoad.reps,
    defs: coldLoadMetrics(plan.coldLoad.params),
    run: (server, generator, run) => runColdLoadScenario(server, generator, plan.coldLoad.params, run),
  },
  {
    id: 'editor',
    reps: plan.editor.reps,
    defs: editorMetrics(plan.editor.params),
    accordOnly: true,
    run: (server, generator, run) => runEditorScenario(server, generator, plan.editor.params, run),
  },
  {
    id: 'scale',
    reps: plan.scaleOut.reps,
    defs: scaleOutMetrics(plan.scaleOut.params),
    kinds: SCALE_OUT_KINDS,
    run: async () => {},
    deploys: (kind, generator, run) => runScaleOutScenario(kind, generator, plan.scaleOut.params, { cpuProfileDir: profileDir }, run),
  },
]
const scenarios = allScenarios.filter((scenario) => !only || only.has(scenario.id))

const notMeasured: NotMeasured[] = [
  ...(plan.saturation ? [] : [{ label: '1. saturation point', reason: 'skipped in --quick' }]),
]

const collected: Collected = {}
const notes: string[] = []
const details: { server: ServerKind; scenario: string; rep: number; details: Record<string, unknown> }[] = []
const started = performance.now()
const log = (text: string) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${text}\n`)

for (const scenario of scenarios) {
  const reps = args.reps ? Number(args.reps) : scenario.reps
  for (let rep = 1; rep <= reps; rep++) {
    for (const kind of kinds) {
      if (scenario.accordOnly && kind !== 'accord') continue
      if (!(scenario.kinds ?? DOCUMENT_SERVERS).includes(kind)) continue
      const quiet = await waitForQuiet(plan.quietWaitMs)
      const runStart = performance.now()
      const run = emptyRun()
      if (!quiet.quiet) run.notes.push(`started while other processes kept ${quiet.busyPercent.toFixed(0)}% of a core busy`)
      let server: BenchServer | null = null
      let generator: Generator | null = null
      try {
        if (scenario.deploys) {
          generator = await Generator.start()
          await scenario.deploys(kind, generator, run)
        } else {
          server = await startServer(kind, { cpuProfileDir: profileDir, inspect: scenario.inspect ?? false })
          generator = await Generator.start()
          await scenario.run(server, generator, run)
        }
      } catch (error) {
        run.notes.push(`failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`)
      } finally {
        await generator?.stop()
        await server?.stop()
      }
      for (const [id, value] of Object.entries(run.values)) ((collected[id] ??= {})[kind] ??= []).push(value)
      details.push({ server: kind, scenario: scenario.id, rep, details: run.details })
      for (const note of run.notes) notes.push(`${SERVER_LABELS[kind]}, ${scenario.id} run ${rep}: ${note}`)
      log(`${scenario.id} ${rep}/${reps} ${SERVER_LABELS[kind]}: ${((performance.now() - runStart) / 1000).toFixed(1)} s${run.notes.length ? ` (${run.notes.length} notes)` : ''}`)
    }
  }
}

const defs = scenarios.flatMap((scenario) => scenario.defs)
const rows = buildRows(defs, collected)
const verdicts = judgeTargets(rows)
const totalSeconds = (performance.now() - started) / 1000
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`

console.log(`\nAccord sync server benchmark (${plan.mode}), ${new Date().toISOString()}, ${totalSeconds.toFixed(0)} s`)
console.log(`${machine}\nmedian (min–max) over repetitions; ratio = peer median / Accord median\n`)
console.log(textTable(rows, defs, notMeasured))
if (notes.length > 0) console.log(`\nNotes:\n${notes.map((note) => `- ${note}`).join('\n')}`)
console.log(`\nTargets (issue 4):\n${verdicts.map((verdict) => `- ${verdict.status.toUpperCase()}: ${verdict.target}${verdict.detail ? ` — ${verdict.detail}` : ''}`).join('\n')}`)

const markdown = [
  `# Accord sync server benchmark (${plan.mode})`,
  '',
  `Run ${new Date().toISOString()} in ${totalSeconds.toFixed(0)} s on ${machine}.`,
  `Servers: ${kinds.map((kind) => SERVER_LABELS[kind]).join(', ')}; each scenario ran them in turn, repetitions: ${scenarios.map((scenario) => `${scenario.id} ${args.reps ?? scenario.reps}`).join(', ')}.`,
  'Cells: median (min–max) across repetitions. Ratio columns: the peer’s median divided by Accord’s (for “lower is better” rows, above 1× means Accord is ahead). See bench/README.md for what each row measures.',
  '',
  markdownTable(rows, defs, notMeasured),
  '',
  '## Targets (issue 4)',
  '',
  ...verdicts.map((verdict) => `- **${verdict.status}**: ${verdict.target}${verdict.detail ? ` — ${verdict.detail}` : ''}`),
  '',
  '## Notes',
  '',
  ...(notes.length > 0 ? notes.map((note) => `- ${note}`) : ['- none']),
  '',
  '## Parameters',
  '',
  '```json',
  JSON.stringify(plan, null, 2),
  '```',
  '',
].join('\n')
const json = JSON.stringify(
  { mode: plan.mode, startedAt: new Date(Date.now() - totalSeconds * 1000).toISOString(), seconds: totalSeconds, machine, plan, servers: kinds, rows, collected, notes, verdicts, notMeasured, details },
  null,
  2,
)
// A run of some scenarios, servers or cases never replaces the table of a whole run.
const partial = Boolean(args.only || args.servers || args.cases || args.reps)
const base = partial ? 'latest-partial' : plan.mode === 'quick' ? 'latest-quick' : 'latest'
fs.mkdirSync(path.join(RESULTS, 'runs'), { recursive: true })
fs.writeFileSync(path.join(RESULTS, `${base}.md`), markdown)
fs.writeFileSync(path.join(RESULTS, `${base}.json`), `${json}\n`)
fs.writeFileSync(path.join(RESULTS, 'runs', `${stamp}-${plan.mode}.md`), markdown)
fs.writeFileSync(path.join(RESULTS, 'runs', `${stamp}-${plan.mode}.json`), `${json}\n`)
console.log(`\nWritten: bench/results/${base}.md, bench/results/${base}.json${profileDir ? `; CPU profiles in ${path.relative(process.cwd(), profileDir)}` : ''}`)
