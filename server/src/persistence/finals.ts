import type { Affiliation, ExportFormat } from '@accord/shared'
import type { Sql } from './sql.js'

export interface FinalRecord {
  id: number
  documentId: string
  versionLabel: string
  title: string
  fingerprint: string
  createdAt: number
  createdBy: { username: string; displayName: string; affiliation: Affiliation }
  reopenedAt: number | null
  reopenedBy: { username: string; displayName: string; affiliation: Affiliation } | null
}

export interface NewFinal {
  documentId: string
  versionLabel: string
  title: string
  state: Uint8Array
  fingerprint: string
  files: Record<ExportFormat, Uint8Array>
  createdBy: number
  createdAt: number
}

interface FinalRow {
  id: number
  document_id: string
  version_label: string
  title: string
  fingerprint: string
  created_at: number
  reopened_at: number | null
  creator_username: string
  creator_display_name: string
  creator_affiliation: Affiliation
  reopener_username: string | null
  reopener_display_name: string | null
  reopener_affiliation: Affiliation | null
}

const SELECT = `
  SELECT f.id, f.document_id, f.version_label, f.title, f.fingerprint, f.created_at, f.reopened_at,
         c.username AS creator_username, c.display_name AS creator_display_name, c.affiliation AS creator_affiliation,
         r.username AS reopener_username, r.display_name AS reopener_display_name, r.affiliation AS reopener_affiliation
  FROM document_finals f JOIN users c ON c.id = f.created_by LEFT JOIN users r ON r.id = f.reopened_by`

const toRecord = (row: FinalRow): FinalRecord => ({
  id: row.id,
  documentId: row.document_id,
  versionLabel: row.version_label,
  title: row.title,
  fingerprint: row.fingerprint,
  createdAt: row.created_at,
  createdBy: { username: row.creator_username, displayName: row.creator_display_name, affiliation: row.creator_affiliation },
  reopenedAt: row.reopened_at,
  reopenedBy:
    row.reopener_username === null
      ? null
      : { username: row.reopener_username, displayName: row.reopener_display_name!, affiliation: row.reopener_affiliation! },
})

/** The Finals of each document: frozen states and their exports, with who finalized and reopened them. */
export class FinalStore {
  constructor(private readonly db: Sql) {}

  async create(final: NewFinal): Promise<FinalRecord> {
    const { files } = final
    const { id } = (await this.db
      .prepare(
        `INSERT INTO document_finals (document_id, version_label, title, state, fingerprint, docx, pdf, html, md, txt, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .get(
        final.documentId,
        final.versionLabel,
        final.title,
        Buffer.from(final.state),
        final.fingerprint,
        Buffer.from(files.docx),
        Buffer.from(files.pdf),
        Buffer.from(files.html),
        Buffer.from(files.md),
        Buffer.from(files.txt),
        final.createdBy,
        final.createdAt,
      )) as { id: number }
    return (await this.byId(id))!
  }

  async byId(id: number): Promise<FinalRecord | null> {
    const row = (await this.db.prepare(`${SELECT} WHERE f.id = ?`).get(id)) as FinalRow | undefined
    return row ? toRecord(row) : null
  }

  /** The Final in force: the latest one, unless it was reopened. */
  async current(documentId: string): Promise<FinalRecord | null> {
    const row = (await this.db.prepare(`${SELECT} WHERE f.document_id = ? ORDER BY f.id DESC LIMIT 1`).get(documentId)) as FinalRow | undefined
    return row && row.reopened_at === null ? toRecord(row) : null
  }

  async history(documentId: string): Promise<FinalRecord[]> {
    return ((await this.db.prepare(`${SELECT} WHERE f.document_id = ? ORDER BY f.id`).all(documentId)) as FinalRow[]).map(toRecord)
  }

  async count(documentId: string): Promise<number> {
    return ((await this.db.prepare('SELECT count(*) AS n FROM document_finals WHERE document_id = ?').get(documentId)) as { n: number }).n
  }

  async file(finalId: number, format: ExportFormat): Promise<Uint8Array> {
    const column = ({ docx: 'docx', pdf: 'pdf', html: 'html', md: 'md', txt: 'txt' } as const)[format]
    const row = (await this.db.prepare(`SELECT ${column} AS bytes FROM document_finals WHERE id = ?`).get(finalId)) as { bytes: Buffer }
    return new Uint8Array(row.bytes)
  }

  async state(finalId: number): Promise<Uint8Array> {
    const row = (await this.db.prepare('SELECT state FROM document_finals WHERE id = ?').get(finalId)) as { state: Buffer }
    return new Uint8Array(row.state)
  }

  async markReopened(finalId: number, userId: number, at: number): Promise<void> {
    await this.db.prepare('UPDATE document_finals SET reopened_by = ?, reopened_at = ? WHERE id = ? AND reopened_at IS NULL').run(userId, at, finalId)
  }
}
