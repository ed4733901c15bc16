import { isAllowedLink } from '@accord/shared'

/** Turns what a person types into a link target: "example.org" → https, "a@b.org" → mailto. */
export function normalizeLink(input: string): string | null {
  const text = input.trim()
  if (!text) return null
  const withScheme = /^[\w.+-]+@[\w-]+(\.[\w-]+)+$/.test(text)
    ? `mailto:${text}`
    : /^[a-z][a-z0-9+.-]*:/i.test(text)
      ? text
      : `https://${text}`
  return isAllowedLink(withScheme) ? withScheme : null
}
