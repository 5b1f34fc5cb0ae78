import type { Route } from '../routing/route';
import { ConnectionIndicator } from './connection-indicator';
import { HostStatus } from './host-status';

type Section = 'jobs' | 'logs' | 'containers' | 'templates' | 'hosts' | 'settings';

function sectionOf(route: Route): Section {
  switch (route.name) {
    case 'logs':
    case 'live':
      return 'logs';
    case 'containers':
    case 'container':
      return 'containers';
    case 'templates':
      return 'templates';
    case 'settings':
      return 'settings';
    case 'hosts':
      return 'hosts';
    default:
      return 'jobs';
  }
}

const links: Array<{ section: Section; href: string; label: string }> = [
  { section: 'jobs', href: '#/', label: 'Jobs' },
  { section: 'logs', href: '#/logs', label: 'Logs' },
  { section: 'containers', href: '#/containers', label: 'Containers' },
  { section: 'templates', href: '#/templates', label: 'Templates' },
  { section: 'hosts', href: '#/hosts', label: 'Hosts' },
  { section: 'settings', href: '#/settings', label: 'Settings' },
];

export function Header({ route }: { route: Route }) {
  const section = sectionOf(route);
  return (
    <header className="app-header">
      <a className="brand" href="#/" aria-label="Berth home">
        <span className="brand-mark" aria-hidden="true">
          ⚓
        </span>
        Berth
      </a>
      <nav className="nav">
        {links.map((link) => (
          <a
            key={link.section}
            href={link.href}
            className="nav-link"
            aria-current={section === link.section ? 'page' : undefined}
            data-testid={`nav-${link.section}`}
          >
            {link.label}
          </a>
        ))}
      </nav>
      <div className="header-right">
        <ConnectionIndicator />
        <HostStatus />
      </div>
    </header>
  );
}
