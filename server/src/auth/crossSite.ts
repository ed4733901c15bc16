/**
 * Whether a request comes from another site's page (cross-site request forgery, cross-site
 * WebSocket hijacking). Browsers send `Origin` on every state-changing request and every
 * socket upgrade, and `Sec-Fetch-Site` on every request; scripts send neither and are judged
 * by their cookie alone. Only our own pages (`same-origin`) and a person typing the address
 * (`none`) pass.
 */
export function isCrossSite(
  headers: { origin?: string | undefined; 'sec-fetch-site'?: string | string[] | undefined },
  allowedOrigin: string,
): boolean {
  if (headers.origin !== undefined && headers.origin !== allowedOrigin) return true
  const site = headers['sec-fetch-site']
  return site !== undefined && site !== 'same-origin' && site !== 'none'
}
