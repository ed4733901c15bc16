import { parentPort } from 'node:worker_threads'
import { renderExport, type ExportJob } from './render.js'

/** Each job arrives as a message; its result (or the error) goes back. The runner reuses the worker. */
parentPort!.on('message', (job: ExportJob) => {
  renderExport(job).then(
    (result) => {
      const transfer = [...Object.values(result.files), result.state].map((bytes) => bytes.buffer as ArrayBuffer)
      parentPort!.postMessage({ ok: true, result }, [...new Set(transfer)])
    },
    (error: unknown) => parentPort!.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
  )
})
