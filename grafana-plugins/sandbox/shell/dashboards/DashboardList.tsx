import { getBackendSrv } from '@grafana/runtime';
import { Card, Stack, TextLink } from '@grafana/ui';
import { useEffect, useState } from 'react';

interface Hit {
  uid: string;
  title: string;
  url: string;
  folderTitle?: string;
  tags: string[];
}

/** The provisioned dashboards (Grafana's /api/search), for the home page. */
export function DashboardList() {
  const [hits, setHits] = useState<Hit[]>([]);
  useEffect(() => {
    getBackendSrv()
      .get<Hit[]>('/api/search', { type: 'dash-db' })
      .then(setHits, () => setHits([]));
  }, []);
  if (!hits.length) {
    return null;
  }
  return (
    <Stack direction="column" gap={1}>
      <h2>Dashboards</h2>
      {hits.map((hit) => (
        <Card key={hit.uid} data-testid="dashboard-card">
          <Card.Heading>
            <TextLink href={hit.url}>{hit.title}</TextLink>
          </Card.Heading>
          <Card.Meta>{[hit.folderTitle, `uid ${hit.uid}`, ...hit.tags].filter(Boolean)}</Card.Meta>
        </Card>
      ))}
    </Stack>
  );
}
