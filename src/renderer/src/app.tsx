import { Header } from './components/header';
import { ToastStack } from './components/toast-stack';
import { EmptyState } from './components/empty-state';
import { JobView } from './pages/job-view';
import { JobsPage } from './pages/jobs-page';
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
      return <JobView key={route.id} jobId={route.id} />;
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
