import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { migrations } from './migrations.js'

export type Db = Database.Database

export const DATABASE_FILE = 'accord.sqlite'

/**
 * Opens (creating if needed) the embedded database. WAL lets readers work while a write
 * commits; synchronous=FULL makes a commit survive a power cut, which is what "Saved" promises.
 */
export function openDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true })
  const db = openConnection(path.join(dataDir, DATABASE_FILE))
  migrate(db)
  return db
}

/** One connection to an existing database file, as every connection of ours is set up. */
export function openConnection(file: string): Db {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  return cachingStatements(db)
}

/**
 * Every query of ours is constant SQL, prepared where it is used; compiling it again on each
 * call cost a few tenths of a millisecond, several times for every socket admitted. Each
 * connection now compiles each statement once. (Statements are only run here, never switched
 * to `pluck`/`raw`/`expand` modes, which would leak into the shared statement.)
 */
const MAX_CACHED_STATEMENTS = 500

function cachingStatements(db: Db): Db {
  const prepare = db.prepare.bind(db)
  const statements = new Map<string, ReturnType<Db['prepare']>>()
  db.prepare = ((sql: string) => {
    let statement = statements.get(sql)
    if (!statement) {
      statement = prepare(sql)
      // A query built for a list of ids has one text per list length: the cache stays bounded.
      if (statements.size < MAX_CACHED_STATEMENTS) statements.set(sql, statement)
    }
    return statement
  }) as Db['prepare']
  return db
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]!)
      db.pragma(`user_version = ${version + 1}`)
    })()
  }
}
