import { App } from 'antd';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { fetchMe, logout } from '../api/auth';
import { setUnauthorizedHandler } from '../api/client';
import type { Me } from '../api/types';
import { useI18n } from '../i18n';

export type SessionState = { status: 'loading' } | { status: 'anonymous' } | { status: 'signedIn'; me: Me };

interface Session {
  state: SessionState;
  signedIn: (me: Me) => void;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const { message } = App.useApp();
  const { t } = useI18n();

  useEffect(() => {
    let cancelled = false;
    fetchMe().then(
      (me) => {
        if (!cancelled) setState({ status: 'signedIn', me });
      },
      () => {
        if (!cancelled) setState({ status: 'anonymous' });
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  const statusRef = useRef(state.status);
  useEffect(() => {
    statusRef.current = state.status;
  }, [state.status]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      if (statusRef.current === 'signedIn') {
        message.warning({ content: t('error.sessionExpired'), key: 'session-expired' });
      }
      statusRef.current = 'anonymous';
      setState({ status: 'anonymous' });
    });
    return () => setUnauthorizedHandler(() => {});
  }, [message, t]);

  const signedIn = useCallback((me: Me) => setState({ status: 'signedIn', me }), []);
  const signOut = useCallback(async () => {
    try {
      await logout();
    } finally {
      setState({ status: 'anonymous' });
    }
  }, []);

  const value = useMemo(() => ({ state, signedIn, signOut }), [state, signedIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside SessionProvider');
  return value;
}

/** The signed-in user; only for components rendered behind RequireAuth. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signedIn') throw new Error('useMe used outside a signed-in area');
  return state.me;
}
