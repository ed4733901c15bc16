export const ALLOWED_LINK_PROTOCOLS = ['http:', 'https:', 'mailto:'] as const

/** Links may point only to web pages and e-mail addresses: never `javascript:`, `data:` or files. */
export function isAllowedLink(href: string): boolean {
  try {
    const url = new URL(href)
    return (ALLOWED_LINK_PROTOCOLS as readonly string[]).includes(url.protocol)
  } catch {
    return false
  }
}
