/**
 * The copies of documents kept on this device (IndexedDB) by `offlineStore.ts`, as far as the
 * rest of the app needs to know about them: their names, and deleting a person's copies when they
 * sign out. Deliberately free of Yjs, so the sign-in and document-list pages load without it.
 *
 * Each store is named after the signed-in person and the document, so on a shared library
 * computer one person's unsent drafts are never synced under the next person's name, and signing
 * out deletes exactly that person's stores. Usernames never contain ':' (see the username rule
 * in the API), so one person's prefix is never the beginning of another's.
 */
const PREFIX = 'accord:'

export function offlineStorePrefix(username: string): string {
  return `${PREFIX}${username}:`
}

export function offlineStoreName(username: string, documentId: string): string {
  return `${offlineStorePrefix(username)}${documentId}`
}

/** The stores open in this page (name → close), so sign-out can close them before deleting them. */
const openStores = new Map<object, { name: string; close: () => Promise<void> }>()
/** Every store name this page has opened, for browsers without indexedDB.databases(). */
const namesUsed = new Set<string>()
/** Open documents, asked whether they hold changes the server has not confirmed. */
const unsentChecks = new Set<() => boolean>()

export function registerOpenStore(key: object, name: string, close: () => Promise<void>): void {
  openStores.set(key, { name, close })
  namesUsed.add(name)
}

export function unregisterOpenStore(key: object): void {
  openStores.delete(key)
}

export function registerUnsentCheck(check: () => boolean): () => void {
  unsentChecks.add(check)
  return () => unsentChecks.delete(check)
}

/** True when some open document holds changes the server has not confirmed storing. */
export function hasUnsentChanges(): boolean {
  for (const check of unsentChecks) if (check()) return true
  return false
}

/**
 * Deletes every offline copy that belongs to this person (at sign-out, or when their session
 * ends), closing the ones open in this page first so nothing is written after the delete.
 */
export async function forgetOfflineCopies(username: string): Promise<void> {
  if (typeof indexedDB === 'undefined') return
  const prefix = offlineStorePrefix(username)
  const closing = [...openStores].filter(([, store]) => store.name.startsWith(prefix))
  for (const [key] of closing) openStores.delete(key)
  await Promise.all(closing.map(([, store]) => store.close().catch(() => undefined)))
  const names = new Set([...namesUsed].filter((name) => name.startsWith(prefix)))
  try {
    for (const database of await indexedDB.databases()) {
      if (database.name?.startsWith(prefix)) names.add(database.name)
    }
  } catch {
    // Older browsers cannot list databases: the names this page opened are all we know.
  }
  await Promise.all([...names].map(deleteDatabase))
}

/**
 * Deletes one database. Other tabs' connections close themselves when asked (lib0's
 * onversionchange), so the delete is not blocked for long; the timeout only keeps sign-out from
 * waiting on a tab that does not answer.
 */
export function deleteDatabase(name: string, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs)
    const done = () => {
      clearTimeout(timer)
      namesUsed.delete(name)
      resolve()
    }
    try {
      const request = indexedDB.deleteDatabase(name)
      request.onsuccess = done
      request.onerror = done
    } catch {
      done()
    }
  })
}
