import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { engine, ok, tokenStore, UNAUTHENTICATED_EVENT } from '../api/client';
import type { Role, User } from '../api/types';

const USER_KEY = 'nsatu.user';

interface AuthState {
  user: User | null;
  login: (username: string, password: string) => Promise<void>;
  logout: () => void;
  hasRole: (...roles: Role[]) => boolean;
}

const AuthContext = createContext<AuthState | null>(null);

function storedUser(): User | null {
  if (!tokenStore.get()) return null;
  try {
    return JSON.parse(sessionStorage.getItem(USER_KEY) ?? 'null') as User | null;
  } catch {
    return null;
  }
}

/** Who is logged in: the token and user are kept in sessionStorage for the life of the tab. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(storedUser);

  const logout = useCallback(() => {
    tokenStore.clear();
    sessionStorage.removeItem(USER_KEY);
    setUser(null);
  }, []);

  useEffect(() => {
    window.addEventListener(UNAUTHENTICATED_EVENT, logout);
    return () => window.removeEventListener(UNAUTHENTICATED_EVENT, logout);
  }, [logout]);

  // A stored session is checked once: an expired token logs out, changed roles are picked up.
  useEffect(() => {
    if (!tokenStore.get()) return;
    ok(engine.GET('/api/v1/me'))
      .then((me) => {
        sessionStorage.setItem(USER_KEY, JSON.stringify(me));
        setUser(me);
      })
      .catch(() => undefined);
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const res = await ok(engine.POST('/api/v1/auth/login', { body: { username, password } }));
    tokenStore.set(res.token);
    sessionStorage.setItem(USER_KEY, JSON.stringify(res.user));
    setUser(res.user);
  }, []);

  const value = useMemo<AuthState>(
    () => ({
      user,
      login,
      logout,
      hasRole: (...roles) => !!user && user.roles.some((r) => roles.includes(r)),
    }),
    [user, login, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
