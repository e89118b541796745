/** What the host page reports on `window.__testHost` (read by tests through page.evaluate). */
export interface TestHostStatus {
  state: 'loading' | 'ready' | 'failed';
  error?: string;
  pluginId: string;
  /** module.js's define() dependencies. */
  externals: string[];
  /** Bare name → SystemJS id of every shared dependency. */
  sharedDependencies?: Record<string, string>;
  /** The services the host registered, for tests that drive them through page.evaluate. */
  runtime?: {
    getDataSourceSrv: typeof import('@grafana/runtime').getDataSourceSrv;
    getBackendSrv: typeof import('@grafana/runtime').getBackendSrv;
    locationService: typeof import('@grafana/runtime').locationService;
  };
}

declare global {
  interface Window {
    __testHost: TestHostStatus;
  }
}
