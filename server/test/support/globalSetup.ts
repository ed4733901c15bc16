import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * Gives this run a temporary directory of its own (data directories, exported files), removed
 * at the end; says plainly whether the PostgreSQL tests run, and names this run so its schemas
 * (created in TEST_DATABASE_URL by the tests) are dropped at the end without touching a
 * parallel run's.
 */
export default async function setup(): Promise<() => Promise<void>> {
  process.env.ACCORD_TEST_RUN ??= randomBytes(4).toString('hex')
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-tests-'))
  process.env.ACCORD_TEST_TMP = runDir
  const removeRunDir = () => fs.rmSync(runDir, { recursive: true, force: true })
  if (!process.env.TEST_DATABASE_URL) {
    const notRun =
      '\n  PostgreSQL tests NOT RUN: TEST_DATABASE_URL is not set (e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test).\n' +
      '  The store contract suite ran against SQLite only.\n'
    console.log(notRun)
    return async () => {
      removeRunDir()
      // Said again at the end, beside the summary.
      console.log(notRun)
    }
  }
  console.log(`\n  PostgreSQL tests run against ${redact(process.env.TEST_DATABASE_URL)} (schemas accord_t_${process.env.ACCORD_TEST_RUN}_*).\n`)
  return async () => {
    removeRunDir()
    const { dropSchemas } = await import('./postgres.js')
    await dropSchemas(process.env.TEST_DATABASE_URL!)
  }
}

const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
