import { randomBytes } from 'node:crypto'

/**
 * Says plainly whether the PostgreSQL tests run, and names this run so its schemas (created in
 * TEST_DATABASE_URL by the tests) are dropped at the end without touching a parallel run's.
 */
export default async function setup(): Promise<() => Promise<void>> {
  process.env.ACCORD_TEST_RUN ??= randomBytes(4).toString('hex')
  if (!process.env.TEST_DATABASE_URL) {
    const notRun =
      '\n  PostgreSQL tests NOT RUN: TEST_DATABASE_URL is not set (e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test).\n' +
      '  The store contract suite ran against SQLite only.\n'
    console.log(notRun)
    // Said again at the end, beside the summary.
    return async () => console.log(notRun)
  }
  console.log(`\n  PostgreSQL tests run against ${redact(process.env.TEST_DATABASE_URL)} (schemas accord_t_${process.env.ACCORD_TEST_RUN}_*).\n`)
  return async () => {
    const { dropSchemas } = await import('./postgres.js')
    await dropSchemas(process.env.TEST_DATABASE_URL!)
  }
}

const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
