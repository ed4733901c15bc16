import type { IncomingMessage } from 'node:http'

/**
 * The address a request came from: the TCP peer's, or, when the peer is one of our own reverse
 * proxies (`TRUSTED_PROXIES`), the nearest address before them in `X-Forwarded-For`. Only the
 * proxies' own entries are trusted: a browser can put anything at the start of that header.
 */
export function clientAddress(request: IncomingMessage, trustedProxies: ReadonlySet<string>): string {
  let address = normalized(request.socket.remoteAddress ?? 'unknown')
  if (!trustedProxies.has(address)) return address
  const header = request.headers['x-forwarded-for']
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((hop) => normalized(hop.trim()))
  for (let index = hops.length - 1; index >= 0; index--) {
    if (hops[index] === '') continue
    address = hops[index]!
    if (!trustedProxies.has(address)) break
  }
  return address
}

/** An IPv4 peer of a dual-stack socket is reported as `::ffff:1.2.3.4`. */
export function normalized(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address
}
