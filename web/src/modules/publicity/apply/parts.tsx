// Shared pieces of the citizen apply pages: the frame, the citizen session gate (sign-in redirect back here), the
// clock in plain words, and a material's file picker with its client-side type/size check.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Button, Result, Spin, Tag } from 'antd';
import { LeftOutlined, PaperClipOutlined, UserOutlined } from '@ant-design/icons';
import { isApiError } from '../../../api/index.ts';
import { useI18n } from '../../../context.tsx';
import { LangSwitch } from '../../../Layout.tsx';
import { Logo } from '../../../Logo.tsx';
import { navigate, useLocation } from '../../../router.tsx';
import { citizenApi, type CitizenProfile } from '../../citizens/api.ts';
import { acceptOf, fileProblem, sizeText, typeNames, type CitizenCaseSummary } from './api.ts';
import { keyed, useApplyText, type ApplyText } from './messages.ts';
import './apply.css';

export function Frame({ title, back, children }: { title: string; back?: string; children: ReactNode }) {
  const t = useApplyText();
  return (
    <div className="ap-page">
      <header className="ap-header">
        {back ? (
          <a className="ap-back" href={back} onClick={(e) => (e.preventDefault(), navigate(back))} aria-label={t('ap.back')}>
            <LeftOutlined />
          </a>
        ) : (
          <a className="ap-back" href="/citizen/services" aria-label={t('ap.home')}>
            <Logo size={26} />
          </a>
        )}
        <h1 className="ap-title">{title}</h1>
        <a className="ap-link" href="/citizen/approval/mine" onClick={(e) => (e.preventDefault(), navigate('/citizen/approval/mine'))}>
          {t('ap.mine')}
        </a>
        <a className="ap-link" href="/citizen" aria-label={t('ap.account')}>
          <UserOutlined />
        </a>
        <LangSwitch dark />
      </header>
      <main className="ap-main">{children}</main>
    </div>
  );
}

type Session = { status: 'loading' } | { status: 'anonymous' } | { status: 'signed-in'; profile: CitizenProfile };

/** The citizen's session (also hands over the CSRF token the writes need); anonymous → a sign-in link back here. */
export function useCitizen(): Session {
  const [state, setState] = useState<Session>({ status: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    citizenApi.me(controller.signal).then(
      (profile) => setState({ status: 'signed-in', profile }),
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setState({ status: 'anonymous' });
        if (isApiError(err) && err.status >= 500) console.error(err);
      },
    );
    return () => controller.abort();
  }, []);
  return state;
}

export function signInHref(here: string): string {
  return `/citizen?next=${encodeURIComponent(here)}`;
}

/** Children once signed in; otherwise straight to the sign-in page, which comes back here. */
export function SignedIn({ children }: { children: (profile: CitizenProfile) => ReactNode }) {
  const t = useApplyText();
  const session = useCitizen();
  const { href } = useLocation();
  useEffect(() => {
    if (session.status === 'anonymous') navigate(signInHref(href), { replace: true });
  }, [session.status, href]);
  if (session.status === 'loading') return <Spin className="ap-spin" />;
  if (session.status === 'anonymous')
    return (
      <Result
        status="info"
        title={t('ap.signIn')}
        extra={
          <Button type="primary" href={signInHref(href)} data-testid="ap-sign-in">
            {t('ap.toSignIn')}
          </Button>
        }
      />
    );
  return <>{children(session.profile)}</>;
}

export function Failure({ error }: { error: unknown }) {
  const { problem } = useI18n();
  const t = useApplyText();
  if (isApiError(error) && error.status === 404) return <Result status="404" title={t('ap.notFound')} />;
  return <Alert type="error" showIcon title={problem(error)} />;
}

const STATE_COLORS: Record<CitizenCaseSummary['state'], string> = { submitted: 'gold', accepted: 'blue', reviewing: 'processing', decided: 'cyan', concluded: 'green', delivered: 'success', rejected: 'default', withdrawn: 'default' };

export function StateTag({ state }: { state: CitizenCaseSummary['state'] }) {
  const t = useApplyText();
  return (
    <Tag color={STATE_COLORS[state]} data-testid="ap-state">
      {keyed(t, 'ap.state.', state)}
    </Tag>
  );
}

/** One clock in plain words: 法定期限 截止 …，剩余 n 个工作日 (or not started, paused, overdue, stopped). */
export function clockText(t: ApplyText, c: Pick<CitizenCaseSummary, 'state' | 'pausedSince'>, clock: CitizenCaseSummary['statutory']): string {
  if (clock.due === null) return ['submitted'].includes(c.state) ? t('ap.clock.notStarted') : t('ap.clock.stopped');
  if (clock.remaining === null) return t('ap.clock.stopped');
  const words = clock.remaining >= 0 ? t('ap.clock.left', { date: clock.due, n: clock.remaining }) : t('ap.clock.overdue', { date: clock.due, n: -clock.remaining });
  return c.pausedSince ? `${words}（${t('ap.clock.paused')}）` : words;
}

export function Clocks({ c }: { c: CitizenCaseSummary }) {
  const t = useApplyText();
  return (
    <div className="ap-clocks">
      <div data-testid="ap-clock-statutory" className={c.statutory.overdue ? 'ap-overdue' : undefined}>
        <span className="ap-muted">{t('ap.clock.statutory')}</span> {clockText(t, c, c.statutory)}
      </div>
      <div data-testid="ap-clock-promised" className={c.promised.overdue ? 'ap-overdue' : undefined}>
        <span className="ap-muted">{t('ap.clock.promised')}</span> {clockText(t, c, c.promised)}
      </div>
    </div>
  );
}

export interface MaterialRule {
  seq: number;
  name: string;
  required: boolean;
  mimeTypes: string[];
  maxBytes: number;
}

/** The client-side refusal of a file for a material, in words (null when it fits). */
export function checkFile(t: ApplyText, material: MaterialRule, file: File): string | null {
  const problem = fileProblem(file, material);
  if (problem === 'type') return t('ap.badType', { name: material.name, types: typeNames(material.mimeTypes), type: file.type || file.name.split('.').pop() || '?' });
  if (problem === 'size') return t('ap.tooLarge', { name: material.name, size: sizeText(material.maxBytes), actual: sizeText(file.size) });
  return null;
}

/** One material: its rule, a file picker, what was chosen or uploaded, and the error (client-side or the server's). */
export function MaterialPicker({
  material,
  file,
  uploaded,
  error,
  busy,
  onPick,
  action,
}: {
  material: MaterialRule;
  file?: File | null;
  uploaded?: string[];
  error?: string | null;
  busy?: boolean;
  onPick: (file: File) => void;
  action?: ReactNode;
}) {
  const t = useApplyText();
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className={`ap-material${error ? ' ap-material-error' : ''}`} data-testid={`ap-material-${material.seq}`}>
      <div className="ap-material-head">
        <span className="ap-material-name">
          {material.name} {material.required ? <Tag color="red">{t('ap.required')}</Tag> : <Tag>{t('ap.optional')}</Tag>}
        </span>
        <span className="ap-muted ap-small">{t('ap.materialRule', { types: typeNames(material.mimeTypes), size: sizeText(material.maxBytes) })}</span>
      </div>
      {uploaded && uploaded.length > 0 && (
        <div className="ap-small" data-testid={`ap-uploaded-${material.seq}`}>
          {uploaded.map((name) => (
            <div key={name}>
              <PaperClipOutlined /> {name} <Tag color="green">{t('ap.uploaded')}</Tag>
            </div>
          ))}
        </div>
      )}
      {file && <div className="ap-small">{t('ap.chosen', { name: file.name, size: sizeText(file.size) })}</div>}
      <div className="ap-material-actions">
        <input
          ref={input}
          type="file"
          hidden
          accept={acceptOf(material.mimeTypes)}
          data-testid={`ap-file-${material.seq}`}
          onChange={(e) => {
            const picked = e.target.files?.[0];
            if (picked) onPick(picked);
            e.target.value = '';
          }}
        />
        <Button size="small" loading={busy} icon={<PaperClipOutlined />} onClick={() => input.current?.click()}>
          {file || (uploaded && uploaded.length > 0) ? t('ap.replace') : t('ap.choose')}
        </Button>
        {action}
      </div>
      {error && (
        <div className="ap-error" role="alert" data-testid={`ap-material-error-${material.seq}`}>
          {error}
        </div>
      )}
    </div>
  );
}
