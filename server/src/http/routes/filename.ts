/**
 * A download's Content-Disposition. The name comes from the title, which is people's text: no
 * path separators, quotes, control or bidirectional-override characters (which could make
 * "evil.exe" look like "exe.txt"); an ASCII fallback, and the full name in RFC 5987 form.
 */
export function attachmentHeader(disposition: 'attachment' | 'inline', baseName: string, extension: string): string {
  const name = safeFileName(baseName)
  const ascii = name.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/\s+/g, ' ').trim() || 'document'
  return `${disposition}; filename="${ascii}.${extension}"; filename*=UTF-8''${encodeRfc5987(`${name}.${extension}`)}`
}

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff/\\:*?"<>|%;]/g

export function safeFileName(text: string): string {
  const cleaned = text.replace(UNSAFE, ' ').replace(/\s+/g, ' ').replace(/^[\s.]+|[\s.]+$/g, '')
  return Array.from(cleaned).slice(0, 120).join('').trim() || 'document'
}

const encodeRfc5987 = (text: string): string =>
  encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
