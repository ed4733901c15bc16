import { AFFILIATION_LABELS, type Affiliation } from '@accord/shared'

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean)
  const letters = words.length > 1 ? words[0]![0]! + words.at(-1)![0]! : (words[0] ?? '?').slice(0, 2)
  return letters.toUpperCase()
}

/** A round badge in the person's affiliation colour; the full name is in its accessible label. */
export function Avatar({
  name,
  affiliation,
  size = 'medium',
  label = name,
}: {
  name: string
  affiliation: Affiliation
  size?: 'small' | 'medium'
  /** What a screen reader hears, when it should say more than the name ("Dana (you)"). */
  label?: string
}) {
  return (
    <span
      className={`avatar avatar--${size} affiliation--${affiliation}`}
      role="img"
      aria-label={`${label}, ${AFFILIATION_LABELS[affiliation]}`}
      title={`${label} · ${AFFILIATION_LABELS[affiliation]}`}
    >
      {initials(name)}
    </span>
  )
}
