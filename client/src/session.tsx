import type { SessionInfo, User } from '@accord/shared'
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { api, ApiRequestError, setUnauthenticatedHandler } from './api/client'
import { forgetOfflineCopies } from './collab/offlineCopies'

interface SessionState {
  /** undefined while the first check is under way; null when signed out. */
  user: User | null | undefined
  signIn(username: string, password: string): Promise<void>
  signOut(): Promise<void>
  setUser(user: User): void
}

const SessionContext = createContext<SessionState | null>(null)

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUserState] = useState<User | null | undefined>(undefined)
  // Who is signed in right now, for callbacks that outlive a render (the 401 handler).
  const userRef = useRef<User | null | undefined>(undefined)
  const setUser = useCallback((next: User | null) => {
    userRef.current = next
    setUserState(next)
  }, [])

  /**
   * The person is no longer signed in here: their offline copies go too, so on a shared computer
   * the next person never sees, or syncs under their own name, what the last one typed.
   */
  const endSession = useCallback(async () => {
    const ended = userRef.current
    setUser(null)
    if (ended) await forgetOfflineCopies(ended.username)
  }, [setUser])

  useEffect(() => {
    setUnauthenticatedHandler(() => void endSession())
    api.get<SessionInfo>('/session').then(
      (session) => setUser(session.user),
      (error: unknown) => {
        if (error instanceof ApiRequestError && error.status === 401) setUser(null)
        else setUser(null)
      },
    )
  }, [endSession])

  const signIn = useCallback(async (username: string, password: string) => {
    const session = await api.post<SessionInfo>('/session', { username, password })
    setUser(session.user)
  }, [setUser])

  const signOut = useCallback(async () => {
    await api.delete('/session').catch(() => undefined)
    await endSession()
  }, [endSession])

  const value = useMemo(() => ({ user, signIn, signOut, setUser }), [user, signIn, signOut, setUser])
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export function useSession(): SessionState {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession must be used inside SessionProvider')
  return session
}

/** For pages that only render once someone is signed in. */
export function useUser(): User {
  const { user } = useSession()
  if (!user) throw new Error('useUser needs a signed-in person')
  return user
}
