import { randomUUID } from 'node:crypto'
import type { ClauseSource, TemplateCategory } from '@accord/shared'
import type { Sql } from './sql.js'

export interface TemplateRecord {
  id: string
  key: string | null
  category: TemplateCategory
  summary: string
  source: ClauseSource
  version: number
  retired: boolean
  updatedAt: number
}

export interface TemplateInput {
  key?: string | null
  category: TemplateCategory
  summary: string
  source: ClauseSource
}

interface TemplateRow {
  id: string
  key: string | null
  category: TemplateCategory
  summary: string
  source: string
  version: number
  retired_at: number | null
  updated_at: number
}

const toRecord = (row: TemplateRow): TemplateRecord => ({
  id: row.id,
  key: row.key,
  category: row.category,
  summary: row.summary,
  source: JSON.parse(row.source) as ClauseSource,
  version: row.version,
  retired: row.retired_at !== null,
  updatedAt: row.updated_at,
})

export class TemplateStore {
  constructor(private readonly db: Sql) {}

  /** Runs `work` in one transaction holding the library's lock (across instances). */
  exclusively<T>(work: () => Promise<T>): Promise<T> {
    return this.db.transaction(async () => {
      await this.db.lock('accord:templates')
      return work()
    })
  }

  async list({ includeRetired = false } = {}): Promise<TemplateRecord[]> {
    const rows = (await this.db
      .prepare(`SELECT * FROM templates ${includeRetired ? '' : 'WHERE retired_at IS NULL'} ORDER BY category, lower(title), id`)
      .all()) as TemplateRow[]
    return rows.map(toRecord)
  }

  async byId(id: string): Promise<TemplateRecord | null> {
    const row = (await this.db.prepare('SELECT * FROM templates WHERE id = ?').get(id)) as TemplateRow | undefined
    return row ? toRecord(row) : null
  }

  async byKey(key: string): Promise<TemplateRecord | null> {
    const row = (await this.db.prepare('SELECT * FROM templates WHERE key = ?').get(key)) as TemplateRow | undefined
    return row ? toRecord(row) : null
  }

  async count(): Promise<number> {
    return ((await this.db.prepare('SELECT count(*) AS n FROM templates').get()) as { n: number }).n
  }

  async create(input: TemplateInput, userId: number | null): Promise<TemplateRecord> {
    const id = randomUUID()
    const now = Date.now()
    const source = JSON.stringify(input.source)
    await this.db.transaction(async () => {
      await this.db
        .prepare(
          `INSERT INTO templates (id, key, title, category, summary, source, version, created_by, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
        )
        .run(id, input.key ?? null, input.source.title, input.category, input.summary, source, userId, now, now)
      await this.db
        .prepare('INSERT INTO template_versions (template_id, version, source, created_by, created_at) VALUES (?, 1, ?, ?, ?)')
        .run(id, source, userId, now)
    })
    return (await this.byId(id))!
  }

  /** A new version; the old ones stay readable. */
  async update(id: string, input: Omit<TemplateInput, 'key'>, userId: number): Promise<TemplateRecord | null> {
    return this.db.transaction(async () => {
      const current = await this.byId(id)
      if (!current) return null
      const version = current.version + 1
      const now = Date.now()
      const source = JSON.stringify(input.source)
      await this.db
        .prepare('UPDATE templates SET title = ?, category = ?, summary = ?, source = ?, version = ?, updated_at = ? WHERE id = ?')
        .run(input.source.title, input.category, input.summary, source, version, now, id)
      await this.db
        .prepare('INSERT INTO template_versions (template_id, version, source, created_by, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(id, version, source, userId, now)
      return this.byId(id)
    })
  }

  async setRetired(id: string, retired: boolean): Promise<boolean> {
    return (await this.db.prepare('UPDATE templates SET retired_at = ?, updated_at = ? WHERE id = ?').run(retired ? Date.now() : null, Date.now(), id)).changes > 0
  }

  async versions(id: string): Promise<{ version: number; source: ClauseSource; createdAt: number }[]> {
    const rows = (await this.db
      .prepare('SELECT version, source, created_at FROM template_versions WHERE template_id = ? ORDER BY version')
      .all(id)) as { version: number; source: string; created_at: number }[]
    return rows.map((row) => ({ version: row.version, source: JSON.parse(row.source) as ClauseSource, createdAt: row.created_at }))
  }
}
