import type { RefusedWrite } from '@accord/shared'
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react'
import { Collaboration, INITIAL_SNAPSHOT, type CollaborationSnapshot } from './collaboration'

const noSubscription = () => () => {}

/** More refusals than this within RESET_WINDOW_MS means starting afresh is not helping. */
const MAX_RESETS = 3
const RESET_WINDOW_MS = 60_000

export interface LiveDocument {
  /** null while (re)opening. */
  collaboration: Collaboration | null
  snapshot: CollaborationSnapshot
  /** The last write the server refused; the document was reopened from the server's copy since. */
  refusal: RefusedWrite | null
  dismissRefusal(): void
  /** Refusals kept coming after reopening: the page has given up and asks for a reload. */
  gaveUp: boolean
}

/**
 * Opens the document's live connection for as long as the component is mounted. When the server
 * refuses one of this person's writes, the local copy holds content the server will never take,
 * so it is thrown away (with this device's offline copy) and the document is opened afresh from
 * the server.
 */
export function useCollaboration(documentId: string, username: string): LiveDocument {
  const [collaboration, setCollaboration] = useState<Collaboration | null>(null)
  const [refusal, setRefusal] = useState<RefusedWrite | null>(null)
  const [gaveUp, setGaveUp] = useState(false)

  useEffect(() => {
    let active = true
    let current: Collaboration | null = null
    const resets: number[] = []

    const open = () => {
      const created: Collaboration = new Collaboration(documentId, username, {
        onRefused: (refused) => {
          if (!active || current !== created) return
          current = null
          setRefusal(refused)
          setCollaboration(null)
          const now = Date.now()
          resets.push(now)
          while (resets.length > 0 && resets[0]! < now - RESET_WINDOW_MS) resets.shift()
          // After the provider has finished handling the message that brought the refusal.
          void Promise.resolve()
            .then(() => created.discard())
            .then(() => {
              if (!active) return
              if (resets.length > MAX_RESETS) setGaveUp(true)
              else open()
            })
        },
      })
      current = created
      setCollaboration(created)
    }

    open()
    return () => {
      active = false
      current?.destroy()
      setCollaboration(null)
    }
  }, [documentId, username])

  const snapshot = useSyncExternalStore(
    collaboration?.subscribe ?? noSubscription,
    collaboration?.getSnapshot ?? (() => INITIAL_SNAPSHOT),
  )
  const dismissRefusal = useCallback(() => setRefusal(null), [])
  return { collaboration, snapshot, refusal, dismissRefusal, gaveUp }
}
