// A worker thread's entry point that can run our TypeScript modules: Node 20 does not pass
// the parent's `--import tsx` on to workers, so the worker registers tsx itself.
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(workerData.entry)
