import { Header } from './components/header';
import { ToastStack } from './components/toast-stack';
import { EmptyState } from './components/empty-state';
import { ContainerView } from './pages/container-view';
import { ContainersPage } from './pages/containers-page';
import { HostsPage } from './pages/hosts-page';
import { JobView } from './pages/job-view';
import { JobsPage } from './pages/jobs-page';
import { LogsPage } from './pages/logs-page';
import { SettingsPage } from './pages/settings-page';
import { SignIn } from './pages/sign-in';
import { TemplatesPage } from './pages/templates-page';
import type { Route } from './routing/route';
import { useRoute } from './routing/use-route';
import { useSession } from './state/session-store';

export function App() {
  const route = useRoute();
  const authNeeded = useSession((s) => s.authNeeded);
  if (authNeeded) return <SignIn />;
  return (
    <div className="app">
      <Header route={route} />
      <main className="app-main">
        <Page route={route} />
      </main>
      <ToastStack />
    </div>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.name) {
    case 'jobs':
      return <JobsPage />;
    case 'templates':
      return <TemplatesPage />;
    case 'job':
      return <JobView key={route.id} jobId={route.id} lineId={route.line} />;
    case 'logs':
      return <LogsPage tab="search" query={route.query} sources={[]} />;
    case 'live':
      return <LogsPage tab="live" query="" sources={route.sources} />;
    case 'containers':
      return <ContainersPage />;
    case 'container':
      return <ContainerView key={route.id} containerId={route.id} lineId={route.line} />;
    case 'settings':
      return <SettingsPage />;
    case 'hosts':
      return <HostsPage />;
    case 'not-found':
      return (
        <div className="page">
          <EmptyState title="Nothing here" testId="not-found">
            <a href="#/">Back to jobs</a>
          </EmptyState>
        </div>
      );
  }
}
