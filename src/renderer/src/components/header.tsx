import type { Route } from '../routing/route';
import { ConnectionIndicator } from './connection-indicator';
import { HostStatus } from './host-status';

export function Header({ route }: { route: Route }) {
  const section = route.name === 'templates' ? 'templates' : 'jobs';
  return (
    <header className="app-header">
      <a className="brand" href="#/" aria-label="Berth home">
        <span className="brand-mark" aria-hidden="true">
          ⚓
        </span>
        Berth
      </a>
      <nav className="nav">
        <a href="#/" className="nav-link" aria-current={section === 'jobs' ? 'page' : undefined} data-testid="nav-jobs">
          Jobs
        </a>
        <a
          href="#/templates"
          className="nav-link"
          aria-current={section === 'templates' ? 'page' : undefined}
          data-testid="nav-templates"
        >
          Templates
        </a>
      </nav>
      <div className="header-right">
        <ConnectionIndicator />
        <HostStatus />
      </div>
    </header>
  );
}
