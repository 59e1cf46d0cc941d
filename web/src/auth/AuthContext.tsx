import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import * as client from "../api/client";
import type { User } from "../api/client";

type Role = User["role"];
const RANK: Record<Role, number> = { agent: 1, manager: 2, admin: 3 };

interface AuthState {
  user: User | null;
  ready: boolean;
  login: (email: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  atLeast: (role: Role) => boolean;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    client.setSignedOutHandler(() => setUser(null));
    client
      .resume()
      .then(setUser)
      .catch(() => setUser(null))
      .finally(() => setReady(true));
  }, []);

  const value: AuthState = {
    user,
    ready,
    login: async (email, password) => setUser(await client.login(email, password)),
    logout: async () => {
      await client.logout();
      setUser(null);
    },
    atLeast: (role) => !!user && RANK[user.role] >= RANK[role],
  };
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error("useAuth outside AuthProvider");
  return state;
}
