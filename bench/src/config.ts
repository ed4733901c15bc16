/** How big and how long each scenario runs, in the quick mode and the full one. */
import type { ChurnParams } from './scenarios/churn.js'
import type { ColdLoadParams } from './scenarios/coldLoad.js'
import type { EditorParams } from './scenarios/editor.js'
import type { FanoutParams } from './scenarios/fanout.js'
import type { ManyDocsParams } from './scenarios/manyDocs.js'
import type { SaturationParams } from './scenarios/saturation.js'
import type { ScaleOutParams } from './scenarios/scaleOut.js'

export interface Plan {
  mode: 'quick' | 'full'
  /** Longest wait before each run for other processes to leave the machine idle. */
  quietWaitMs: number
  fanout: { reps: number; params: FanoutParams }
  saturation: { reps: number; params: SaturationParams } | null
  manyDocs: { reps: number; params: ManyDocsParams }
  coldLoad: { reps: number; params: ColdLoadParams }
  editor: { reps: number; params: EditorParams }
  churn: { reps: number; params: ChurnParams } | null
  scaleOut: { reps: number; params: ScaleOutParams }
}

/** Keystrokes per second per writer: a fast typist. */
const TYPING_RATE = 10

export const FULL: Plan = {
  mode: 'full',
  quietWaitMs: 30_000,
  fanout: {
    reps: 3,
    params: {
      cases: [
        { clients: 10, writers: 2, rate: TYPING_RATE },
        { clients: 50, writers: 2, rate: TYPING_RATE },
        { clients: 200, writers: 2, rate: TYPING_RATE },
        { clients: 50, writers: 20, rate: TYPING_RATE },
      ],
      warmupMs: 1000,
      durationMs: 6000,
      drainMs: 3000,
    },
  },
  saturation: {
    reps: 2,
    params: { clients: 50, writers: 10, rates: [5, 10, 20, 40, 60, 80, 100, 120], warmupMs: 500, durationMs: 2000, drainMs: 3000 },
  },
  manyDocs: {
    reps: 2,
    params: { documents: 1000, initialChars: 300, activeDocuments: 100, ratePerWriter: 2, durationMs: 6000, settleMs: 1000, drainMs: 3000 },
  },
  coldLoad: {
    reps: 3,
    params: { words: 100_000, authors: 4, burst: 50, seed: 4, joins: 5, stormJoiners: 20, maxBuildMs: 240_000 },
  },
  editor: {
    reps: 2,
    params: { words: 100_000, authors: 4, burst: 100, seed: 7, carets: 20, caretIntervalMs: 500, keystrokes: 120, remoteTypingIntervalMs: 200, maxBuildMs: 240_000, structures: ['paragraphs', 'clauses'] },
  },
  churn: {
    reps: 3,
    params: { writers: 10, ratePerWriter: 5, durationMs: 8000, meanUpMs: 2000, downMs: [200, 800], convergeTimeoutMs: 10_000 },
  },
  scaleOut: {
    reps: 3,
    params: { clients: 50, writers: 2, rate: TYPING_RATE, warmupMs: 1000, durationMs: 6000, drainMs: 3000 },
  },
}

export const QUICK: Plan = {
  mode: 'quick',
  quietWaitMs: 2_000,
  fanout: {
    reps: 1,
    params: {
      cases: [
        { clients: 200, writers: 2, rate: TYPING_RATE },
        { clients: 50, writers: 20, rate: TYPING_RATE },
      ],
      warmupMs: 300,
      durationMs: 2000,
      drainMs: 1500,
    },
  },
  saturation: null,
  manyDocs: {
    reps: 1,
    params: { documents: 150, initialChars: 300, activeDocuments: 20, ratePerWriter: 2, durationMs: 2000, settleMs: 300, drainMs: 2000 },
  },
  coldLoad: {
    reps: 1,
    params: { words: 100_000, authors: 4, burst: 100, seed: 4, joins: 2, stormJoiners: 20, maxBuildMs: 120_000 },
  },
  editor: {
    reps: 1,
    params: { words: 100_000, authors: 4, burst: 100, seed: 7, carets: 20, caretIntervalMs: 500, keystrokes: 40, remoteTypingIntervalMs: 200, maxBuildMs: 120_000, structures: ['paragraphs'] },
  },
  churn: {
    reps: 1,
    params: { writers: 6, ratePerWriter: 5, durationMs: 3000, meanUpMs: 1500, downMs: [200, 600], convergeTimeoutMs: 10_000 },
  },
  scaleOut: {
    reps: 1,
    params: { clients: 50, writers: 2, rate: TYPING_RATE, warmupMs: 300, durationMs: 2000, drainMs: 1500 },
  },
}
