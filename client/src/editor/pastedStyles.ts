/**
 * Formatting that other editors paste as inline styles, turned into the tags our schema reads.
 *
 * ProseMirror reads a paste's formatting from each element's `style` (bold as
 * `font-weight: 700`, Google Docs' whole-paste `<b style="font-weight:normal">` wrapper as "not
 * bold"). Our Content-Security-Policy (`style-src 'self'`) makes Chromium refuse style
 * attributes even in the inert document a paste is parsed in, so `element.style` is empty:
 * bold from Word was lost and everything from Google Docs turned bold. The attribute's text
 * survives, so this reads it and rewrites the markup before ProseMirror parses it. It only
 * ever removes attributes and adds `strong`, `em`, `u` and `s`: what the schema then drops
 * (scripts, handlers, unknown tags) it still drops.
 */
export function pastedStylesAsTags(html: string): string {
  if (!/\sstyle\s*=/i.test(html)) return html
  const document = new DOMParser().parseFromString(html, 'text/html')
  for (const element of [...document.body.querySelectorAll('[style]')]) {
    const style = declarations(element.getAttribute('style') ?? '')
    element.removeAttribute('style')
    const weight = style.get('font-weight') ?? ''
    if (element.tagName === 'B' && /^(normal|[1-4]00)$/.test(weight)) {
      element.replaceWith(...element.childNodes)
      continue
    }
    const tags: string[] = []
    if (/^(bold(er)?|[5-9]00)$/.test(weight)) tags.push('strong')
    if (style.get('font-style') === 'italic') tags.push('em')
    const decoration = `${style.get('text-decoration') ?? ''} ${style.get('text-decoration-line') ?? ''}`
    if (decoration.includes('underline')) tags.push('u')
    if (decoration.includes('line-through')) tags.push('s')
    wrapContents(element, tags)
  }
  return document.body.innerHTML
}

function declarations(style: string): Map<string, string> {
  const found = new Map<string, string>()
  for (const declaration of style.split(';')) {
    const colon = declaration.indexOf(':')
    if (colon < 0) continue
    found.set(declaration.slice(0, colon).trim().toLowerCase(), declaration.slice(colon + 1).replace(/!important/i, '').trim().toLowerCase())
  }
  return found
}

/** Puts `element`'s children inside the given tags (outermost first), inside `element`, so a block stays a block. */
function wrapContents(element: Element, tags: readonly string[]): void {
  if (tags.length === 0) return
  const outer = element.ownerDocument.createElement(tags[0]!)
  let inner = outer
  for (const tag of tags.slice(1)) inner = inner.appendChild(element.ownerDocument.createElement(tag))
  inner.append(...element.childNodes)
  element.append(outer)
}
