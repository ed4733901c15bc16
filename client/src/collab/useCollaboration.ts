import { useEffect, useState, useSyncExternalStore } from 'react'
import { Collaboration, INITIAL_SNAPSHOT, type CollaborationSnapshot } from './collaboration'

const noSubscription = () => () => {}

/** Opens the document's live connection for as long as the component is mounted. */
export function useCollaboration(documentId: string): [Collaboration | null, CollaborationSnapshot] {
  const [collaboration, setCollaboration] = useState<Collaboration | null>(null)

  useEffect(() => {
    const created = new Collaboration(documentId)
    setCollaboration(created)
    return () => {
      created.destroy()
      setCollaboration(null)
    }
  }, [documentId])

  const snapshot = useSyncExternalStore(
    collaboration?.subscribe ?? noSubscription,
    collaboration?.getSnapshot ?? (() => INITIAL_SNAPSHOT),
  )
  return [collaboration, snapshot]
}
