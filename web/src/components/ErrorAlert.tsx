// Shows an API error as an antd Alert with the request id for support.
import { Alert, Button } from 'antd';
import { isApiError } from '../api/index.ts';
import { useI18n } from '../context.tsx';

/** `message` replaces the default sentence (e.g. a translated problem code). */
export function ErrorAlert({ error, onRetry, message }: { error: unknown; onRetry?: () => void; message?: string }) {
  const { t, problem } = useI18n();
  if (!error) return null;
  const requestId = isApiError(error) ? error.requestId : undefined;
  const code = isApiError(error) ? error.code : undefined;
  // With a translated sentence as the title, the server's own detail still helps (it names the values at fault).
  const detail = message && isApiError(error) && error.detail && error.detail !== message ? error.detail : undefined;
  return (
    <Alert
      type="error"
      showIcon
      className="page-alert"
      title={message ?? problem(error)}
      description={
        requestId || code || detail ? (
          <>
            {detail ? <div className="error-detail">{detail}</div> : null}
            {requestId || code ? (
              <span className="muted-mono">
                {code}
                {requestId ? ` · ${t('error.requestId')} ${requestId}` : ''}
              </span>
            ) : null}
          </>
        ) : undefined
      }
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}
