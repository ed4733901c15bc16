import { createHash } from 'node:crypto'
import { canonicalText, type ExportModel } from '@accord/shared/export'

/** Where an export stands, printed in every format's footer (and never part of the fingerprint). */
export interface ExportStamp {
  /** "Final 2" for a Final, "Draft 2026-11-28" otherwise. */
  versionLabel: string
  /** The day it was exported or finalized, YYYY-MM-DD (UTC). */
  date: string
  final: boolean
  fingerprint: string
}

/** The first 12 hex digits of SHA-256 over the model's canonical text: the same in every format. */
export function fingerprintOf(model: ExportModel): string {
  return createHash('sha256').update(canonicalText(model), 'utf8').digest('hex').slice(0, 12)
}

export function footerText(stamp: ExportStamp): string {
  // A draft's label already carries its date ("Draft 2026-11-28"); say it once.
  const version = stamp.versionLabel.includes(stamp.date) ? stamp.versionLabel : `${stamp.versionLabel} · ${stamp.date}`
  return `${stamp.final ? 'FINAL' : 'DRAFT'} · ${version} · Fingerprint ${stamp.fingerprint}`
}

export const isoDate = (time: number): string => new Date(time).toISOString().slice(0, 10)
