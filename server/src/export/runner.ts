import { AppError } from '../errors.js'
import { startWorker } from '../workers/startWorker.js'
import type { ExportJob, ExportResult } from './render.js'

export interface ExportLimits {
  /** An export that takes longer is stopped and answered with 503. */
  timeoutMs: number
  /** The same for finalizing, which renders all five formats in one go. */
  finalizeTimeoutMs: number
  /** The worker's heap; a document that needs more fails alone, not the server. */
  maxHeapMb: number
  /** Exports running at once; more are refused with 503 rather than queued without end. */
  concurrency: number
}

export const DEFAULT_EXPORT_LIMITS: ExportLimits = { timeoutMs: 30_000, finalizeTimeoutMs: 90_000, maxHeapMb: 768, concurrency: 2 }

const ENTRY = new URL('./worker.ts', import.meta.url)

/** Runs each export in its own worker thread, so rendering never holds up live editing. */
export class ExportRunner {
  private running = 0

  constructor(private readonly limits: ExportLimits = DEFAULT_EXPORT_LIMITS) {}

  run(job: ExportJob, purpose: 'download' | 'finalize' = 'download'): Promise<ExportResult> {
    const timeoutMs = purpose === 'finalize' ? this.limits.finalizeTimeoutMs : this.limits.timeoutMs
    if (this.running >= this.limits.concurrency) {
      return Promise.reject(new AppError(503, 'export_busy', 'Other exports are running; try again in a moment.'))
    }
    this.running++
    const worker = startWorker(ENTRY, null, { maxOldGenerationSizeMb: this.limits.maxHeapMb })
    return new Promise<ExportResult>((resolve, reject) => {
      let settled = false
      const finish = (outcome: () => void) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        this.running--
        void worker.terminate()
        outcome()
      }
      const timer = setTimeout(
        () => finish(() => reject(new AppError(503, 'export_timeout', 'The export took too long and was stopped. Try again, or export a smaller format such as plain text.'))),
        timeoutMs,
      )
      worker.once('message', (message: { ok: true; result: ExportResult } | { ok: false; message: string }) =>
        finish(() => (message.ok ? resolve(message.result) : reject(new Error(`export failed: ${message.message}`)))),
      )
      worker.once('error', (error: Error & { code?: string }) =>
        finish(() =>
          reject(
            error.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? new AppError(503, 'export_too_large', 'The document is too large to export in this format. Try plain text or Markdown.')
              : error,
          ),
        ),
      )
      worker.once('exit', (code) => finish(() => reject(new Error(`export worker exited with code ${code}`))))
      worker.postMessage(job)
    })
  }
}
