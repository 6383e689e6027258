import { useEffect, useState } from 'react';
import { HomePage } from './pages/Home';
import { ServersPage } from './pages/Servers';
import { ActivityPage, useUnseenActivity } from './pages/Activity';
import { CatalogPage } from './pages/catalog/CatalogPage';
import { WeatherPage } from './pages/Weather';
import { ClientsPage } from './pages/Clients';
import { SettingsPage } from './pages/Settings';
import { useHostEvent } from './hooks';
import { ToastRegion, useToast } from './components/ui';
import { api } from './host';

const PAGES = [
  { id: 'home', label: 'Home', icon: '⌂', Page: HomePage },
  { id: 'activity', label: 'Activity', icon: '◷', Page: ActivityPage },
  { id: 'servers', label: 'Servers', icon: '▶', Page: ServersPage },
  { id: 'catalog', label: 'Catalog', icon: '▦', Page: CatalogPage },
  { id: 'weather', label: 'Weather', icon: '☁', Page: WeatherPage },
  { id: 'apps', label: 'Apps', icon: '⇄', Page: ClientsPage },
  { id: 'settings', label: 'Settings', icon: '⚙', Page: SettingsPage },
] as const;
type PageId = (typeof PAGES)[number]['id'];

const fromHash = (): PageId => {
  const id = location.hash.replace(/^#\/?/, '').split('/')[0];
  return (PAGES.find((p) => p.id === id)?.id ?? 'home') as PageId;
};

export function App() {
  const [page, setPage] = useState<PageId>(fromHash);
  const toast = useToast();
  useEffect(() => {
    const on = () => setPage(fromHash());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  useEffect(() => {
    document.title = `${PAGES.find((p) => p.id === page)!.label} — MCP Tray`;
    document.getElementById('main')?.focus();
  }, [page]);
  useHostEvent((e) => {
    if (e.type === 'notice') toast(e.level === 'info' ? 'info' : e.level, e.message);
  });
  // Problems the host found before this window opened.
  useEffect(() => {
    void api.getState().then(
      (s) => s.notices.forEach((n) => toast(n.level === 'info' ? 'info' : n.level, n.message)),
      () => {},
    );
  }, [toast]);
  const unseen = useUnseenActivity();
  const { Page } = PAGES.find((p) => p.id === page)!;
  return (
    <div className="app">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <nav aria-label="Main">
        <div className="brand">
          <img src="./icon.svg" alt="" width={28} height={28} /> <span className="nav-label">MCP Tray</span>
        </div>
        <ul>
          {PAGES.map((p) => (
            <li key={p.id}>
              {/* On a narrow window only the icon shows (the name stays for screen readers, and as a tooltip). */}
              <a href={`#/${p.id}`} aria-current={page === p.id ? 'page' : undefined} title={p.label}>
                <span className="nav-icon" aria-hidden="true">
                  {p.icon}
                </span>
                <span className="nav-label">{p.label}</span>
                {p.id === 'activity' && unseen > 0 && page !== 'activity' && (
                  <span className="nav-count" aria-label={`${unseen} new`} title={`${unseen} new since you last looked`}>
                    {unseen}
                  </span>
                )}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="main-col">
        <ToastRegion />
        <main id="main" tabIndex={-1}>
          <Page />
        </main>
      </div>
    </div>
  );
}
