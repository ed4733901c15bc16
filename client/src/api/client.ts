import type { ApiError } from '@accord/shared'

/** A failed API call, carrying the server's code and its sentence for people. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

let onUnauthenticated: () => void = () => {}

/** The session context registers here, so any 401 signs the person out of the interface. */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler
}

/** Sends a request; an answer that is not 2xx becomes an ApiRequestError with the server's sentence. */
async function send(method: string, path: string, body?: unknown): Promise<Response> {
  let response: Response
  try {
    response = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    throw new ApiRequestError(0, 'network', 'Cannot reach the Accord server. Check your connection and try again.')
  }
  if (!response.ok) {
    const error = ((await response.json().catch(() => null)) ?? {}) as Partial<ApiError>
    if (response.status === 401 && path !== '/session') onUnauthenticated()
    throw new ApiRequestError(
      response.status,
      error.error ?? 'http_error',
      error.message ?? `The server answered ${response.status}.`,
    )
  }
  return response
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body)
  if (response.status === 204) return undefined as T
  return (await response.json().catch(() => null)) as T
}

/** A file the server names in Content-Disposition (RFC 5987 `filename*` preferred). */
async function download(path: string): Promise<{ blob: Blob; fileName: string }> {
  const response = await send('GET', path)
  const disposition = response.headers.get('content-disposition') ?? ''
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1]
  const plain = /filename="([^"]*)"/i.exec(disposition)?.[1]
  let fileName = plain ?? 'download'
  try {
    if (encoded) fileName = decodeURIComponent(encoded)
  } catch {
    // A malformed encoded name: the plain one stands.
  }
  return { blob: await response.blob(), fileName }
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body ?? {}),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
  download,
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.'
}
