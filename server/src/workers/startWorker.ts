import { Worker, type ResourceLimits } from 'node:worker_threads'

/** Starts `entry` (a TypeScript module's URL) in a worker thread; `data` arrives as `workerData.data`. */
export function startWorker(entry: URL, data: unknown, resourceLimits?: ResourceLimits): Worker {
  return new Worker(new URL('./typescriptWorker.mjs', import.meta.url), {
    workerData: { entry: entry.href, data },
    // None of the parent's flags (--inspect, --cpu-prof): the worker loads tsx itself.
    execArgv: [],
    ...(resourceLimits ? { resourceLimits } : {}),
  })
}
