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
