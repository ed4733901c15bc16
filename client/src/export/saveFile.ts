import { api } from '../api/client'

/** Downloads a file from the API and hands it to the browser to save, under the server's name for it. */
export async function saveFromApi(path: string): Promise<void> {
  const { blob, fileName } = await api.download(path)
  const href = URL.createObjectURL(blob)
  const link = window.document.createElement('a')
  link.href = href
  link.download = fileName
  link.click()
  setTimeout(() => URL.revokeObjectURL(href), 60_000)
}
