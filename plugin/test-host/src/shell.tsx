/**
 * The shell around the plugin — TEST DOUBLE of what Grafana's frontend renders around an app:
 * the theme (ThemeContext + GlobalStyles from @grafana/ui, theme from boot data), the
 * LocationServiceProvider, a react-router
 * v6 Router driven by @grafana/runtime's `locationService` history (Grafana's AppRootPage runs
 * under `/a/:pluginId/*`), the app root with AppRootProps, the plugin's config pages at
 * `/plugins/:pluginId` (Grafana's plugin details page; `?page=<id>` picks a tab, the first config
 * page by default), a STAND-IN PluginPage, and toasts for appEvents alerts.
 *
 * Test hooks: [data-testid="test-host-plugin-page"] (h1 = page title), "test-host-page-tabs",
 * "test-host-config-page" (+ "test-host-config-tab-<id>"), "test-host-notification"
 * (data-kind = success | error | warning; gone after 3 / 5 / 7 s as in Grafana), "test-host-not-found",
 * "test-host-app-error".
 */
import {
  AppEvents,
  type AppPlugin,
  type AppPluginMeta,
  type EventBus,
  type NavModel,
  type NavModelItem,
  PluginContextProvider,
  ThemeContext,
  type UrlQueryMap,
} from '@grafana/data';
import {
  LocationServiceProvider,
  type PluginPageProps,
  config,
  locationSearchToObject,
  locationService,
} from '@grafana/runtime';
import { Alert, ErrorBoundaryAlert, GlobalStyles, PortalContainer } from '@grafana/ui';
import React, { createContext, useContext, useEffect, useLayoutEffect, useMemo, useState } from 'react';
import { Route, Router, Routes, useLocation, useParams } from 'react-router';
import { Link } from 'react-router-dom';

interface HistoryLocation {
  pathname: string;
  search: string;
  hash: string;
  state?: unknown;
  key?: string;
}

/** react-router v6 on top of Grafana's history v4 (HistoryWrapper), as Grafana's shell does. */
function HostRouter({ children }: { children: React.ReactNode }) {
  const history = locationService.getHistory();
  const [state, setState] = useState<{ location: HistoryLocation; action: string }>({
    location: history.location as HistoryLocation,
    action: 'POP',
  });
  useLayoutEffect(
    () =>
      history.listen((location: HistoryLocation, action: string) => {
        setState({ location, action });
      }),
    [history]
  );
  return (
    <Router location={state.location} navigationType={state.action as never} navigator={history as never}>
      {children}
    </Router>
  );
}

const NavContext = createContext<{ nav?: NavModel; meta?: AppPluginMeta }>({});

export function Shell({ plugin, appEvents }: { plugin: AppPlugin; appEvents: EventBus }) {
  return (
    <ThemeContext.Provider value={config.theme2}>
      <GlobalStyles />
      <LocationServiceProvider service={locationService}>
        <HostRouter>
          <div style={{ display: 'flex', flexDirection: 'column', minHeight: '100vh' }}>
            <TopBar plugin={plugin} />
            <main style={{ flex: 1, padding: 16 }}>
              <Routes>
                <Route path="/a/:pluginId/*" element={<AppRootPage plugin={plugin} />} />
                <Route path="/plugins/:pluginId" element={<PluginConfigPage plugin={plugin} />} />
                <Route path="/" element={<HostHome plugin={plugin} />} />
                <Route path="*" element={<NotFound />} />
              </Routes>
            </main>
          </div>
          <Notifications appEvents={appEvents} />
          <PortalContainer />
        </HostRouter>
      </LocationServiceProvider>
    </ThemeContext.Provider>
  );
}

function TopBar({ plugin }: { plugin: AppPlugin }) {
  const theme = config.theme2;
  return (
    <header
      data-testid="test-host-top-bar"
      style={{
        display: 'flex',
        gap: 16,
        alignItems: 'center',
        padding: '8px 16px',
        borderBottom: `1px solid ${theme.colors.border.weak}`,
        background: theme.colors.background.primary,
      }}
    >
      <strong title="A test double of Grafana's frontend shell, never shipped">Grafana test host</strong>
      {(plugin.meta.includes ?? [])
        .filter((include) => include.type === 'page' && include.path)
        .map((include) => (
          <Link key={include.path} to={include.path!}>
            {include.name}
          </Link>
        ))}
      <Link to={`/plugins/${plugin.meta.id}`}>Configuration</Link>
      <span style={{ marginLeft: 'auto', opacity: 0.7 }}>
        {config.bootData.user.login} ({config.bootData.user.orgRole})
      </span>
    </header>
  );
}

function AppRootPage({ plugin }: { plugin: AppPlugin }) {
  const { pluginId } = useParams();
  const location = useLocation();
  const [nav, setNav] = useState<NavModel | undefined>();
  const query: UrlQueryMap = useMemo(() => locationSearchToObject(location.search), [location.search]);

  if (pluginId !== plugin.meta.id) {
    return <NotFound />;
  }
  if (!plugin.meta.enabled) {
    return (
      <Alert severity="warning" title="App not enabled" data-testid="test-host-app-disabled">
        The {plugin.meta.name} app is not enabled (plugin settings `enabled: false`).
      </Alert>
    );
  }
  const Root = plugin.root;
  if (!Root) {
    return <Alert title="No root app page component found" data-testid="test-host-app-error" />;
  }
  return (
    <NavContext.Provider value={{ nav, meta: plugin.meta }}>
      <PluginContextProvider meta={plugin.meta}>
        <ErrorBoundaryAlert style="page">
          <Root
            meta={plugin.meta}
            basename={`${config.appSubUrl}/a/${plugin.meta.id}`}
            onNavChanged={setNav}
            query={query}
            path={location.pathname}
          />
        </ErrorBoundaryAlert>
      </PluginContextProvider>
    </NavContext.Provider>
  );
}

function PluginConfigPage({ plugin }: { plugin: AppPlugin }) {
  const { pluginId } = useParams();
  const location = useLocation();
  const query: UrlQueryMap = useMemo(() => locationSearchToObject(location.search), [location.search]);
  if (pluginId !== plugin.meta.id) {
    return <NotFound />;
  }
  const pages = plugin.configPages ?? [];
  const current = pages.find((page) => page.id === query.page) ?? pages[0];
  return (
    <div data-testid="test-host-config-page">
      <h1>{plugin.meta.name}</h1>
      <nav style={{ display: 'flex', gap: 12, margin: '8px 0 16px' }}>
        {pages.map((page) => (
          <Link
            key={page.id}
            to={`/plugins/${plugin.meta.id}?page=${encodeURIComponent(page.id)}`}
            data-testid={`test-host-config-tab-${page.id}`}
            aria-current={page === current ? 'page' : undefined}
            style={{ fontWeight: page === current ? 600 : 400 }}
          >
            {page.title}
          </Link>
        ))}
      </nav>
      {current ? (
        <PluginContextProvider meta={plugin.meta}>
          <ErrorBoundaryAlert style="page">
            <current.body plugin={plugin} query={query} />
          </ErrorBoundaryAlert>
        </PluginContextProvider>
      ) : (
        <Alert severity="info" title="This app has no configuration pages" />
      )}
    </div>
  );
}

function HostHome({ plugin }: { plugin: AppPlugin }) {
  return (
    <div data-testid="test-host-home">
      <h1>Grafana test host</h1>
      <p>A test double of Grafana&apos;s frontend shell serving {plugin.meta.id}.</p>
    </div>
  );
}

function NotFound() {
  return (
    <div data-testid="test-host-not-found">
      <h1>Page not found</h1>
    </div>
  );
}

function navTitle(item: NavModelItem | undefined): string | undefined {
  return item?.text;
}

/** STAND-IN for Grafana's PluginPage (registered with setPluginPage): title, tabs, actions. */
export function StandInPluginPage({ pageNav, subTitle, actions, renderTitle, info, children }: PluginPageProps) {
  const { nav, meta } = useContext(NavContext);
  const title = navTitle(pageNav) ?? nav?.node.text ?? meta?.name ?? '';
  const tabs = pageNav?.children ?? nav?.main.children ?? [];
  useEffect(() => {
    document.title = `${title} - ${meta?.name ?? ''} - Grafana`;
  }, [title, meta?.name]);
  return (
    <div data-testid="test-host-plugin-page">
      <div style={{ display: 'flex', alignItems: 'flex-start', gap: 16, marginBottom: 8 }}>
        <div style={{ flex: 1 }}>
          {renderTitle ? renderTitle(title) : <h1>{title}</h1>}
          {(subTitle ?? pageNav?.subTitle) && <div>{subTitle ?? pageNav?.subTitle}</div>}
          {info?.map((item) => (
            <div key={item.label}>
              {item.label}: {item.value}
            </div>
          ))}
        </div>
        {actions && <div>{actions}</div>}
      </div>
      {tabs.length > 0 && (
        <nav data-testid="test-host-page-tabs" style={{ display: 'flex', gap: 12, marginBottom: 16 }}>
          {tabs.map((tab) => (
            <Link
              key={tab.url ?? tab.text}
              to={tab.url ?? '#'}
              aria-current={tab.active ? 'page' : undefined}
              style={{ fontWeight: tab.active ? 600 : 400 }}
            >
              {tab.text}
            </Link>
          ))}
        </nav>
      )}
      <div>{children}</div>
    </div>
  );
}

/** How long Grafana shows a toast (public/app/types/appNotifications.ts, AppNotificationTimeout). */
const TOAST_TIMEOUT_MS = { success: 3_000, warning: 5_000, error: 7_000 } as const;

interface Toast {
  id: number;
  kind: 'success' | 'error' | 'warning';
  text: string;
}

function Notifications({ appEvents }: { appEvents: EventBus }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  useEffect(() => {
    let next = 0;
    const subscriptions = (
      [
        [AppEvents.alertSuccess, 'success'],
        [AppEvents.alertError, 'error'],
        [AppEvents.alertWarning, 'warning'],
      ] as const
    ).map(([event, kind]) =>
      appEvents.getStream({ type: event.name } as never).subscribe((published: { payload?: unknown }) => {
        const payload = Array.isArray(published.payload) ? published.payload : [published.payload];
        const text = payload
          .filter((part) => part !== undefined && part !== null)
          .map((part) => (typeof part === 'string' ? part : ((part as Error).message ?? JSON.stringify(part))))
          .join(' ');
        const id = next++;
        setToasts((current) => [...current, { id, kind, text }]);
        // Grafana's AppNotificationTimeout: toasts go away by themselves
        setTimeout(() => setToasts((current) => current.filter((toast) => toast.id !== id)), TOAST_TIMEOUT_MS[kind]);
      })
    );
    return () => subscriptions.forEach((subscription) => subscription.unsubscribe());
  }, [appEvents]);
  if (!toasts.length) {
    return null;
  }
  return (
    <div style={{ position: 'fixed', right: 16, top: 56, width: 360, zIndex: 1100 }}>
      {toasts.map((toast) => (
        <div key={toast.id} data-testid="test-host-notification" data-kind={toast.kind}>
          <Alert
            severity={toast.kind}
            title={toast.text}
            onRemove={() => setToasts((current) => current.filter((item) => item.id !== toast.id))}
          />
        </div>
      ))}
    </div>
  );
}
