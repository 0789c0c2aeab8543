import { Alert } from '@grafana/ui';

export function LoadError({ title, error }: { title: string; error: unknown }) {
  return (
    <Alert severity="error" title={title} data-testid="plugin-load-error">
      <pre style={{ whiteSpace: 'pre-wrap' }}>{error instanceof Error ? error.message : String(error)}</pre>
    </Alert>
  );
}
