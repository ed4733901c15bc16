import { IndexeddbPersistence } from 'y-indexeddb'
import * as Y from 'yjs'
import { whenIdle, whenPageHides } from '../lib/schedule'
import { deleteDatabase, offlineStoreName, registerOpenStore, unregisterOpenStore } from './offlineCopies'

/**
 * Opens (or creates) the copy of a document kept on this device, so a person can reload and
 * keep typing while offline, and starts loading it into `doc`. Returns null where the browser has
 * no usable IndexedDB (some private modes): the editor then works online only.
 */
export function openOfflineStore(username: string, documentId: string, doc: Y.Doc): IndexeddbPersistence | null {
  if (typeof indexedDB === 'undefined') return null
  const name = offlineStoreName(username, documentId)
  let store: IndexeddbPersistence
  try {
    store = new IndexeddbPersistence(name, doc)
  } catch {
    return null
  }
  // A refused open is handled by whoever waits for the store (see whenOfflineStoreReady).
  store._db.catch(() => undefined)
  storeUpdatesWhenIdle(store, doc)
  registerOpenStore(store, name, () => store.destroy().catch(() => undefined))
  return store
}

/**
 * Resolves once the offline copy has been applied to the document: true when it loaded, false
 * when IndexedDB refused or took too long (the document then loads from the server alone).
 */
export function whenOfflineStoreReady(store: IndexeddbPersistence, timeoutMs = 2500): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs)
    void store.whenSynced.then(() => {
      clearTimeout(timer)
      resolve(true)
    })
    store._db.catch(() => {
      clearTimeout(timer)
      resolve(false)
    })
  })
}

/** Stops writing to the store; its content stays on the device. */
export async function closeOfflineStore(store: IndexeddbPersistence): Promise<void> {
  unregisterOpenStore(store)
  await store.destroy().catch(() => undefined)
}

/** Closes the store and deletes its content from this device. */
export async function deleteOfflineStore(store: IndexeddbPersistence): Promise<void> {
  await closeOfflineStore(store)
  await deleteDatabase(store.name)
}

/** The longest an edit waits before it is written to this device. */
const STORE_WITHIN_MS = 1000

/**
 * y-indexeddb writes each change in its own IndexedDB transaction as it happens: a millisecond
 * per keystroke in a long agreement, spent before the character is painted. Changes are
 * gathered and written as one when the browser is idle (within STORE_WITHIN_MS), and at once
 * when the page is hidden or the store closes.
 */
function storeUpdatesWhenIdle(store: IndexeddbPersistence, doc: Y.Doc): void {
  const write = store._storeUpdate
  let pending: Uint8Array[] = []
  const flush = () => {
    if (pending.length === 0) return
    const updates = pending
    pending = []
    write(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates), null)
  }
  const gather = (update: Uint8Array, origin: unknown) => {
    if (origin === store) return
    if (pending.push(update) === 1) whenIdle(flush, STORE_WITHIN_MS)
  }
  doc.off('update', write)
  doc.on('update', gather)
  // y-indexeddb's destroy stops whatever `_storeUpdate` names.
  store._storeUpdate = gather
  const stopFlushingOnHide = whenPageHides(flush)
  const destroy = store.destroy
  store.destroy = () => {
    flush()
    stopFlushingOnHide()
    return destroy()
  }
}
