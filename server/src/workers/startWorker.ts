import { Worker, type ResourceLimits } from 'node:worker_threads'

/**
 * Starts `entry` (a TypeScript module's URL) in a worker thread; `data` arrives as
 * `workerData.data`. `threadName` (at most 15 characters) names the thread where the system
 * shows threads (`top -H`, `ps -L`, /proc/<pid>/task/<tid>/comm), so that the storage writer's
 * or an export's CPU can be told from the main thread's.
 */
export function startWorker(threadName: string, entry: URL, data: unknown, resourceLimits?: ResourceLimits): Worker {
  return new Worker(new URL('./typescriptWorker.mjs', import.meta.url), {
    workerData: { entry: entry.href, threadName, data },
    // None of the parent's flags (--inspect, --cpu-prof): the worker loads tsx itself.
    execArgv: [],
    ...(resourceLimits ? { resourceLimits } : {}),
  })
}
