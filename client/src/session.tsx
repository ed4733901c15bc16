import type { SessionInfo, User } from '@accord/shared'
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { api, ApiRequestError, setUnauthenticatedHandler } from './api/client'

interface SessionState {
  /** undefined while the first check is under way; null when signed out. */
  user: User | null | undefined
  signIn(username: string, password: string): Promise<void>
  signOut(): Promise<void>
  setUser(user: User): void
}

const SessionContext = createContext<SessionState | null>(null)

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined)

  useEffect(() => {
    setUnauthenticatedHandler(() => setUser(null))
    api.get<SessionInfo>('/session').then(
      (session) => setUser(session.user),
      (error: unknown) => {
        if (error instanceof ApiRequestError && error.status === 401) setUser(null)
        else setUser(null)
      },
    )
  }, [])

  const signIn = useCallback(async (username: string, password: string) => {
    const session = await api.post<SessionInfo>('/session', { username, password })
    setUser(session.user)
  }, [])

  const signOut = useCallback(async () => {
    await api.delete('/session').catch(() => undefined)
    setUser(null)
  }, [])

  const value = useMemo(() => ({ user, signIn, signOut, setUser }), [user, signIn, signOut])
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
