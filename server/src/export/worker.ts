import { parentPort } from 'node:worker_threads'
import { renderExport, type ExportJob } from './render.js'
import { warmUp } from './warmUp.js'

let running = 0
let warmed = false

/** Each job arrives as a message; its result (or the error) goes back. The runner reuses the worker. */
parentPort!.on('message', (job: ExportJob) => {
  running++
  renderExport(job)
    .then(
      (result) => {
        const transfer = [...Object.values(result.files), result.state].map((bytes) => bytes.buffer as ArrayBuffer)
        parentPort!.postMessage({ ok: true, result }, [...new Set(transfer)])
      },
      (error: unknown) => parentPort!.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
    )
    .finally(() => {
      running--
      // After the first job, not at start: a worker started for one export answers it first.
      if (warmed) return
      warmed = true
      void warmUp(() => running > 0)
    })
})
