/**
 * The signed-in user for the whole app.
 *
 * On load, a refresh token kept from earlier in this tab is exchanged for a new pair (the
 * access token is never persisted); the pair names the user. When the session
 * expires anywhere (a refused refresh), the user is forgotten and sign-in says why.
 */
import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, session, unwrap } from "../api/client";
import type { CurrentUser } from "../api/session";

export type AuthStatus = "loading" | "signed-in" | "signed-out";

interface AuthState {
  status: AuthStatus;
  user: CurrentUser | null;
  /** Why the user is signed out, when it was not their choice. */
  notice: string | null;
  signIn: (email: string, password: string) => Promise<CurrentUser>;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export const EXPIRED_NOTICE = "Your session has expired. Please sign in again.";

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [user, setUser] = useState<CurrentUser | null>(null);
  const [status, setStatus] = useState<AuthStatus>(session.refreshToken ? "loading" : "signed-out");
  const [notice, setNotice] = useState<string | null>(null);

  const forget = useCallback(
    (why: string | null) => {
      setUser(null);
      setStatus("signed-out");
      setNotice(why);
      queryClient.clear();
    },
    [queryClient],
  );

  useEffect(() => session.onExpired(() => forget(EXPIRED_NOTICE)), [forget]);

  useEffect(() => {
    if (!session.refreshToken) return;
    let live = true;
    session
      .refresh()
      .then(async (pair) => {
        if (!live) return;
        if (!pair) return forget(EXPIRED_NOTICE);
        setUser(pair.user);
        setStatus("signed-in");
      })
      .catch(() => live && forget("Cannot reach the server. Sign in again when it is back."));
    return () => {
      live = false;
    };
  }, [forget]);

  const signIn = useCallback(async (email: string, password: string) => {
    const pair = await unwrap(api.POST("/api/auth/login", { body: { email, password } }));
    session.store(pair);
    setUser(pair.user);
    setNotice(null);
    setStatus("signed-in");
    return pair.user;
  }, []);

  const signOut = useCallback(async () => {
    const refreshToken = session.refreshToken;
    session.clear();
    forget(null);
    // Revoke server-side too; signing out locally must not wait for, or depend on, the network.
    if (refreshToken) {
      await api.POST("/api/auth/logout", { body: { refresh_token: refreshToken } }).catch(() => undefined);
    }
  }, [forget]);

  const value = useMemo(() => ({ status, user, notice, signIn, signOut }), [status, user, notice, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error("useAuth outside <AuthProvider>");
  return state;
}

/** The signed-in user, inside screens that only render when someone is signed in. */
export function useUser(): CurrentUser {
  const { user } = useAuth();
  if (!user) throw new Error("useUser while signed out");
  return user;
}
