// A worker thread's entry point that can run our TypeScript modules: Node 20 does not pass
// the parent's `--import tsx` on to workers, so the worker registers tsx itself.
import { writeFileSync } from 'node:fs'
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

try {
  // Linux: a thread may name itself (see startWorker). Elsewhere the thread stays unnamed.
  writeFileSync('/proc/thread-self/comm', workerData.threadName)
} catch {}
register()
await import(workerData.entry)
