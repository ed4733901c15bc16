/** The orchestrator's handle on a load generator process (load/child.ts), called over IPC. */
import { fork, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { GeneratorMethods } from './load/child.js'

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'load', 'child.ts')

type Params<M extends keyof GeneratorMethods> = Parameters<GeneratorMethods[M]>[0]
type Result<M extends keyof GeneratorMethods> = Awaited<ReturnType<GeneratorMethods[M]>>

interface Reply {
  id?: number
  ready?: boolean
  result?: unknown
  error?: string
}

export class Generator {
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: Reply) => {
      if (reply.id === undefined) return
      const waiter = this.pending.get(reply.id)
      this.pending.delete(reply.id)
      if (reply.error !== undefined) waiter?.reject(new Error(`load generator: ${reply.error}`))
      else waiter?.resolve(reply.result)
    })
    child.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`load generator exited (${code})`))
      this.pending.clear()
    })
  }

  get pid(): number {
    return this.child.pid!
  }

  static async start(): Promise<Generator> {
    const child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve())
      child.once('exit', (code) => reject(new Error(`load generator exited (${code}) before it was ready`)))
    })
    return new Generator(child)
  }

  /** Calls a generator method; fails if it has not answered within `timeoutMs`. */
  call<M extends keyof GeneratorMethods>(method: M, params: Params<M>, timeoutMs = 180_000): Promise<Result<M>> {
    const id = this.nextId++
    return new Promise<Result<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new Error(`load generator: ${method} took over ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer)
          resolve(value as Result<M>)
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(error)
        },
      })
      this.child.send({ id, method, params })
    })
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    this.child.disconnect()
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
}
