/** An error a person can act on: a stable code for programs, a sentence for people, an HTTP status. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

export const notFound = (what = 'document') =>
  new AppError(404, 'not_found', `That ${what} does not exist, or you do not have access to it.`)
export const forbidden = (message = 'Your role does not allow this.') => new AppError(403, 'forbidden', message)
