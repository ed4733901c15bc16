import type { Person } from '@accord/shared'
import type { Sql } from './sql.js'

export type VersionKind = 'named' | 'automatic'

export interface VersionRecord {
  id: number
  documentId: string
  name: string
  kind: VersionKind
  /** Null for the server's automatic checkpoints. */
  createdBy: Person | null
  createdAt: number
}

export interface NewVersion {
  documentId: string
  name: string
  kind: VersionKind
  createdBy: number | null
  createdAt: number
  /** The whole document as one Yjs update, and its state vector. */
  state: Uint8Array
  stateVector: Uint8Array
}

interface VersionRow {
  id: number
  document_id: string
  name: string
  kind: VersionKind
  created_at: number
  username: string | null
  display_name: string | null
  affiliation: Person['affiliation'] | null
}

const SELECT = `
  SELECT v.id, v.document_id, v.name, v.kind, v.created_at, u.username, u.display_name, u.affiliation
  FROM document_versions v LEFT JOIN users u ON u.id = v.created_by`

const toRecord = (row: VersionRow): VersionRecord => ({
  id: row.id,
  documentId: row.document_id,
  name: row.name,
  kind: row.kind,
  createdBy: row.username === null ? null : { username: row.username, displayName: row.display_name!, affiliation: row.affiliation! },
  createdAt: row.created_at,
})

/**
 * Saved states of a document. Rows are only ever added: a restore writes a new change to the
 * live document (and a checkpoint before it), never over a stored row.
 */
export class VersionStore {
  constructor(private readonly db: Sql) {}

  async create(version: NewVersion): Promise<VersionRecord> {
    const { id } = (await this.db
      .prepare(
        `INSERT INTO document_versions (document_id, name, kind, created_by, created_at, state, state_vector)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .get(version.documentId, version.name, version.kind, version.createdBy, version.createdAt, Buffer.from(version.state), Buffer.from(version.stateVector))) as { id: number }
    return (await this.byId(version.documentId, id))!
  }

  /** Newest first. */
  async list(documentId: string): Promise<VersionRecord[]> {
    return ((await this.db.prepare(`${SELECT} WHERE v.document_id = ? ORDER BY v.id DESC`).all(documentId)) as VersionRow[]).map(toRecord)
  }

  /** The document's newest version, if any: one row, however many checkpoints it has. */
  async latest(documentId: string): Promise<VersionRecord | null> {
    const row = (await this.db.prepare(`${SELECT} WHERE v.document_id = ? ORDER BY v.id DESC LIMIT 1`).get(documentId)) as VersionRow | undefined
    return row ? toRecord(row) : null
  }

  /** Null when the version does not exist or belongs to another document. */
  async byId(documentId: string, versionId: number): Promise<VersionRecord | null> {
    const row = (await this.db.prepare(`${SELECT} WHERE v.document_id = ? AND v.id = ?`).get(documentId, versionId)) as VersionRow | undefined
    return row ? toRecord(row) : null
  }

  async state(versionId: number): Promise<Uint8Array> {
    const row = (await this.db.prepare('SELECT state FROM document_versions WHERE id = ?').get(versionId)) as { state: Buffer }
    return new Uint8Array(row.state)
  }
}
