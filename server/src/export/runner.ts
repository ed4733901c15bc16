import { AppError } from '../errors.js'
import { startWorker } from '../workers/startWorker.js'
import type { Worker } from 'node:worker_threads'
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

/** A warm worker idle this long is stopped, so a quiet server gives the memory back. */
const IDLE_WORKER_MS = 10 * 60_000

type WorkerReply = { ok: true; result: ExportResult } | { ok: false; message: string }

/**
 * Runs exports in worker threads, so rendering never holds up live editing. Workers are kept
 * warm between exports: starting one (tsx, the DOCX and PDF libraries) costs about a second,
 * more than rendering a long MOU. A worker that overran its time or memory is stopped, never
 * reused.
 */
export class ExportRunner {
  private running = 0
  private readonly idle = new Map<Worker, NodeJS.Timeout>()

  constructor(private readonly limits: ExportLimits = DEFAULT_EXPORT_LIMITS) {}

  /** Whether an export is running now (background work waits for a quiet moment). */
  get busy(): boolean {
    return this.running > 0
  }

  /**
   * `background` work (the activity feed's summaries) uses a warm worker when one is idle, and
   * otherwise starts one that stops when done: work nobody waits for should not keep a worker's
   * memory for the next ten minutes.
   */
  run(job: ExportJob, purpose: 'download' | 'finalize' | 'background' = 'download'): Promise<ExportResult> {
    const timeoutMs = purpose === 'finalize' ? this.limits.finalizeTimeoutMs : this.limits.timeoutMs
    if (this.running >= this.limits.concurrency) {
      return Promise.reject(new AppError(503, 'export_busy', 'Other exports are running; try again in a moment.'))
    }
    this.running++
    const warm = this.idle.size > 0
    const worker = this.takeWorker()
    const keepWarm = purpose !== 'background' || warm
    return new Promise<ExportResult>((resolve, reject) => {
      let settled = false
      const finish = (reusable: boolean, outcome: () => void) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        worker.off('message', onMessage).off('error', onError).off('exit', onExit)
        this.running--
        if (reusable && keepWarm) this.putBack(worker)
        else void worker.terminate()
        outcome()
      }
      const onMessage = (message: WorkerReply) =>
        finish(true, () => (message.ok ? resolve(message.result) : reject(new Error(`export failed: ${message.message}`))))
      const onError = (error: Error & { code?: string }) =>
        finish(false, () =>
          reject(
            error.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? new AppError(503, 'export_too_large', 'The document is too large to export in this format. Try plain text or Markdown.')
              : error,
          ),
        )
      const onExit = (code: number) => finish(false, () => reject(new Error(`export worker exited with code ${code}`)))
      const timer = setTimeout(
        () => finish(false, () => reject(new AppError(503, 'export_timeout', 'The export took too long and was stopped. Try again, or export a smaller format such as plain text.'))),
        timeoutMs,
      )
      worker.on('message', onMessage).on('error', onError).on('exit', onExit)
      worker.postMessage(job)
    })
  }

  /** Stops the warm workers (at shutdown). */
  async close(): Promise<void> {
    const workers = [...this.idle.keys()]
    for (const timer of this.idle.values()) clearTimeout(timer)
    this.idle.clear()
    await Promise.all(workers.map((worker) => worker.terminate()))
  }

  private takeWorker(): Worker {
    for (const [worker, timer] of this.idle) {
      clearTimeout(timer)
      this.idle.delete(worker)
      worker.ref()
      return worker
    }
    return startWorker('accord-export', ENTRY, null, { maxOldGenerationSizeMb: this.limits.maxHeapMb })
  }

  private putBack(worker: Worker): void {
    // An idle worker must not keep the process alive.
    worker.unref()
    const retire = setTimeout(() => {
      this.idle.delete(worker)
      void worker.terminate()
    }, IDLE_WORKER_MS)
    retire.unref()
    this.idle.set(worker, retire)
  }
}
