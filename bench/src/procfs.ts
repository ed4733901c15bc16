/** Server CPU time and memory, read from /proc like `ps` does (Linux only). */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'

let ticksPerSecond: number | null = null

/** Clock ticks per second of utime/stime in /proc/<pid>/stat. */
export function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  return ticksPerSecond
}

/** User + system CPU time the process has used so far, in milliseconds. */
export function cpuMs(pid: number): number {
  return statCpuMs(`/proc/${pid}/stat`)
}

/** The same for the process's main thread alone: JavaScript, its system calls, without GC helpers and workers. */
export function mainThreadCpuMs(pid: number): number {
  return statCpuMs(`/proc/${pid}/task/${pid}/stat`)
}

/**
 * The same for the process's threads named `name` (a thread's `comm`; Accord names its worker
 * threads, see server/src/workers/startWorker.ts); 0 when it has none.
 */
export function namedThreadsCpuMs(pid: number, name: string): number {
  let total = 0
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      if (fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim() === name) total += statCpuMs(`/proc/${pid}/task/${tid}/stat`)
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return total
}

function statCpuMs(file: string): number {
  const stat = fs.readFileSync(file, 'utf8')
  // The command name (field 2) may contain spaces; fields after it are space-separated.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return ((utime + stime) * 1000) / clockTicks()
}

/** Write system calls (write, writev, pwrite, ...) the process has made so far, all threads: /proc/<pid>/io `syscw`. */
export function writeCalls(pid: number): number {
  const match = /^syscw:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'))
  if (!match) throw new Error(`no syscw for ${pid}`)
  return Number(match[1])
}

/** Resident set size in KiB (VmRSS). */
export function rssKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
  if (!match) throw new Error(`no VmRSS for ${pid}`)
  return Number(match[1])
}

/** CPU time the whole machine has spent busy (all cores, all processes) and stolen by the hypervisor, in ms. */
export function machineCpuMs(): { busy: number; steal: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!
  // cpu user nice system idle iowait irq softirq steal guest guest_nice
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[]
  const toMs = (ticks: number) => (ticks * 1000) / clockTicks()
  return { busy: toMs(user! + nice! + system! + irq! + softirq!), steal: toMs(steal ?? 0) }
}

/** Starts a new peak-RSS measurement: resets VmHWM to the current RSS (Linux `clear_refs` 5). */
export function resetPeakRss(pid: number): void {
  fs.writeFileSync(`/proc/${pid}/clear_refs`, '5')
}

/** The highest resident set size since the last reset, in KiB (VmHWM). */
export function peakRssKb(pid: number): number {
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (!match) throw new Error(`no VmHWM for ${pid}`)
  return Number(match[1])
}
