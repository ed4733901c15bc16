/** `@username` in a comment: usernames are 2 to 40 of a-z 0-9 . _ - (a trailing dot ends a sentence). */
const MENTION = /(^|[^A-Za-z0-9_@.])@([a-z0-9][a-z0-9._-]{0,38}[a-z0-9_-])/gi

export interface TextPart {
  text: string
  /** The lower-cased username when this part is a mention. */
  mention?: string
}

/** Splits comment text into plain runs and `@username` mentions, in order. */
export function splitMentions(text: string): TextPart[] {
  const parts: TextPart[] = []
  let last = 0
  for (const match of text.matchAll(MENTION)) {
    const start = match.index + match[1]!.length
    if (start > last) parts.push({ text: text.slice(last, start) })
    const end = start + 1 + match[2]!.length
    parts.push({ text: text.slice(start, end), mention: match[2]!.toLowerCase() })
    last = end
  }
  if (last < text.length) parts.push({ text: text.slice(last) })
  return parts
}

/** The distinct usernames a comment mentions. */
export function mentionedUsernames(text: string): string[] {
  return [...new Set(splitMentions(text).flatMap((part) => (part.mention ? [part.mention] : [])))]
}
