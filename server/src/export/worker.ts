import { parentPort } from 'node:worker_threads'
import { renderExport, type ExportJob } from './render.js'

/** One export per worker: the job arrives as a message, the result (or the error) goes back. */
parentPort!.once('message', (job: ExportJob) => {
  renderExport(job).then(
    (result) => {
      const transfer = [...Object.values(result.files), result.state].map((bytes) => bytes.buffer as ArrayBuffer)
      parentPort!.postMessage({ ok: true, result }, [...new Set(transfer)])
    },
    (error: unknown) => parentPort!.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
  )
})
