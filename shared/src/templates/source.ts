/**
 * The plain format clause templates are written in. The server turns it into the document
 * schema (a `clause` node), so template authors never write ProseMirror JSON.
 *
 * - `title` and every paragraph may contain variables as `{{key}}` (see variables.ts).
 * - A paragraph whose lines all start with "- " becomes a bulleted list, one item per line.
 * - `subclauses` nest (numbered 1.1, 1.1.1 in the document).
 */
export interface ClauseSource {
  title: string
  body: string[]
  subclauses?: ClauseSource[]
}

export const TEMPLATE_CATEGORIES = [
  'foundations',
  'police-role',
  'students',
  'training',
  'records',
  'accountability',
  'funding',
  'administration',
] as const
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number]

export const TEMPLATE_CATEGORY_LABELS: Record<TemplateCategory, string> = {
  foundations: 'Purpose and definitions',
  'police-role': 'The police role',
  students: 'Students’ rights',
  training: 'Training',
  records: 'Records and data',
  accountability: 'Accountability',
  funding: 'Funding',
  administration: 'Term and administration',
}

export interface TemplateSource extends ClauseSource {
  /** Stable identifier, e.g. "purpose"; the seed uses it to avoid duplicates. */
  key: string
  category: TemplateCategory
  /** One sentence shown in the library list. */
  summary: string
}
