// Shows an API error as an antd Alert with the request id for support.
import { Alert, Button } from 'antd';
import { isApiError } from '../api.ts';
import { useI18n } from '../context.tsx';
import { describeError } from '../format.ts';

export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  const requestId = isApiError(error) ? error.requestId : undefined;
  const code = isApiError(error) ? error.code : undefined;
  return (
    <Alert
      type="error"
      showIcon
      className="page-alert"
      title={describeError(t, error)}
      description={
        requestId || code ? (
          <span className="muted-mono">
            {code}
            {requestId ? ` · ${t('error.requestId')} ${requestId}` : ''}
          </span>
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
