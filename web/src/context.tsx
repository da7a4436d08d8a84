// App-wide state: the UI language and the signed-in session.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { api, isApiError, onUnauthorized, setCsrfToken, type CaptchaAnswer, type Me, type SecondFactorChallenge } from './api/index.ts';
import { errorMessage } from '../../src/modules/error-catalogue.ts';
import { describeError } from './format.ts';
import { initialLang, isMessageKey, storeLang, translate, type Lang, type MessageKey, type MessageParams } from './i18n.ts';

// ---------------------------------------------------------------------------------------------
// Language

export type Translate = (key: MessageKey, params?: MessageParams) => string;

interface I18nValue {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
  /** Translates a key built at run time (e.g. `role.${role}`), falling back to the raw value. */
  tx: (key: string, fallback: string) => string;
  /** The sentence for an error: the catalogue's message for its problem code (src/modules/error-catalogue.ts), else a generic one. */
  problem: (err: unknown) => string;
}

const I18nContext = createContext<I18nValue | null>(null);

function applyLang(lang: Lang): void {
  document.documentElement.lang = lang;
  dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => {
    const l = initialLang();
    applyLang(l);
    return l;
  });
  const setLang = useCallback((next: Lang) => {
    storeLang(next);
    applyLang(next);
    setLangState(next);
  }, []);
  const value = useMemo<I18nValue>(() => {
    const t: Translate = (key, params) => translate(lang, key, params);
    const tx = (key: string, fallback: string) => (isMessageKey(key) ? translate(lang, key) : fallback);
    const problem = (err: unknown) => (isApiError(err) ? errorMessage(err.code, lang) : undefined) ?? describeError(t, err);
    return { lang, setLang, t, tx, problem };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

// ---------------------------------------------------------------------------------------------
// Session

export type AuthState =
  | { status: 'loading' }
  | { status: 'anonymous'; expired: boolean }
  | { status: 'authenticated'; user: Me };

interface AuthValue {
  state: AuthState;
  /** Signs in; throws ApiError on failure. An administrator gets a second-factor challenge instead of a session. */
  login: (username: string, password: string, captcha?: CaptchaAnswer) => Promise<Me | SecondFactorChallenge>;
  /** Completes a sign-in with the SMS code of a challenge. */
  completeSecondFactor: (challengeId: string, code: string) => Promise<Me>;
  logout: () => Promise<void>;
  can: (permission: string) => boolean;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    api
      .me(controller.signal)
      .then((session) => setState({ status: 'authenticated', user: session.user }))
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        if (!isApiError(err) || err.status !== 401) console.warn('GET /api/auth/me failed', err);
        setState({ status: 'anonymous', expired: false });
      });
    return () => controller.abort();
  }, []);

  useEffect(
    () =>
      onUnauthorized(() => {
        setCsrfToken(null);
        setState((prev) => (prev.status === 'authenticated' ? { status: 'anonymous', expired: true } : prev));
      }),
    [],
  );

  const login = useCallback(async (username: string, password: string, captcha?: CaptchaAnswer) => {
    const session = await api.login(username, password, captcha);
    if ('secondFactor' in session) return session;
    setState({ status: 'authenticated', user: session.user });
    return session.user;
  }, []);

  const completeSecondFactor = useCallback(async (challengeId: string, code: string) => {
    const session = await api.completeSecondFactor(challengeId, code);
    setState({ status: 'authenticated', user: session.user });
    return session.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      setState({ status: 'anonymous', expired: false });
    }
  }, []);

  const value = useMemo<AuthValue>(() => {
    const permissions = state.status === 'authenticated' ? new Set(state.user.permissions) : new Set<string>();
    return { state, login, completeSecondFactor, logout, can: (p) => permissions.has(p) };
  }, [state, login, completeSecondFactor, logout]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

/** The signed-in user; only call inside the authenticated part of the tree. */
export function useMe(): Me {
  const { state } = useAuth();
  if (state.status !== 'authenticated') throw new Error('useMe without a session');
  return state.user;
}
