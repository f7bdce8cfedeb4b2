import { useEffect, useState, type ReactNode } from 'react';
import { ErrorBoundary } from './components/ErrorBoundary';
import { IndexesPage } from './views/indexes/IndexesPage';
import { LaunchPage } from './views/launch/LaunchPage';
import { MigrationsPage } from './views/migrations/MigrationsPage';
import { ChecklistPage } from './views/checks/ChecklistPage';
import { OverviewPage } from './views/checks/OverviewPage';
import { EndpointsPage } from './views/endpoints/EndpointsPage';
import { RateLimitPage } from './views/active/RateLimitPage';
import { SsePage } from './views/active/SsePage';
import { PostgresPage } from './views/postgres/PostgresPage';
import { RedisPage } from './views/redis/RedisPage';

interface Page {
  id: string;
  title: string;
  render: () => ReactNode;
}

// Pages register here; each later feature adds one entry.
const PAGES: Page[] = [
  { id: 'overview', title: 'Overview', render: () => <OverviewPage /> },
  { id: 'checklist', title: 'Checklist', render: () => <ChecklistPage /> },
  { id: 'postgres', title: 'Postgres', render: () => <PostgresPage /> },
  { id: 'redis', title: 'Redis', render: () => <RedisPage /> },
  { id: 'indexes', title: 'Indexes', render: () => <IndexesPage /> },
  { id: 'migrations', title: 'Migrations', render: () => <MigrationsPage /> },
  { id: 'endpoints', title: 'Endpoints', render: () => <EndpointsPage /> },
  { id: 'ratelimit', title: 'Rate limit', render: () => <RateLimitPage /> },
  { id: 'sse', title: 'SSE', render: () => <SsePage /> },
  { id: 'launch', title: 'Launch', render: () => <LaunchPage /> },
];

function pageFromHash(): string {
  const id = window.location.hash.replace(/^#\/?/, '');
  return PAGES.some((p) => p.id === id) ? id : PAGES[0]!.id;
}

export function App() {
  const [pageId, setPageId] = useState(pageFromHash);
  useEffect(() => {
    const onHash = () => setPageId(pageFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const page = PAGES.find((p) => p.id === pageId) ?? PAGES[0]!;
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Pages">
        <div className="brand">Preflight</div>
        {PAGES.map((p) => (
          <a key={p.id} href={`#/${p.id}`} className={p.id === page.id ? 'active' : undefined} aria-current={p.id === page.id ? 'page' : undefined}>
            {p.title}
          </a>
        ))}
      </nav>
      <main className="content">
        <ErrorBoundary key={page.id}>{page.render()}</ErrorBoundary>
      </main>
    </div>
  );
}
