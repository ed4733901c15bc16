import type { FinalSummary } from '@accord/shared'

/** Which Final this is, who froze it and when, and its fingerprint. */
export function FinalNote({ final }: { final: FinalSummary }) {
  const when = new Date(final.finalizedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
  return (
    <p className="final-note" data-testid="final-note">
      <strong>{final.versionLabel}</strong>, finalized by {final.finalizedBy.displayName} on {when}. Fingerprint{' '}
      <code className="fingerprint">{final.fingerprint}</code>. Every download is the file stored at that moment.
    </p>
  )
}
