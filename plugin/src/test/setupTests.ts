/**
 * Runs before every test file (jest.config.js setupFilesAfterEnv):
 * - @grafana/runtime test doubles: getBackendSrv() → ./backendSrv.ts (Node fetch, answered by MSW),
 *   PluginPage → a plain frame showing title and actions, DataSourcePicker → a <select> of
 *   ./grafana.ts's datasources, hasPermission → true (tests override with jest.mocked(...));
 * - the MSW server (./server.ts, the runner double of ./handlers.ts), reset after each test;
 * - after each test: no request or answer may have broken runner/openapi.json (./openapi.ts).
 */
import { configure } from '@testing-library/react';
import { locationService } from '@grafana/runtime';
import { runner } from './handlers';
import { takeViolations } from './openapi';
import { server } from './server';

// *ByRole queries skip the (slow, getComputedStyle-based) visibility check; see ./dom.ts for faster lookups
// asyncUtilTimeout: a page that navigates and loads (New run → Run detail) takes more than the
// default second on 2 busy cores (CI runs the workspaces' suites one after the other, under load)
configure({ defaultHidden: true, asyncUtilTimeout: 5_000 });

// jsdom has no ResizeObserver nor IntersectionObserver; Grafana UI's Drawer, Text and Combobox use them
class NoopObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
Object.assign(globalThis, {
  ResizeObserver: globalThis.ResizeObserver ?? NoopObserver,
  IntersectionObserver: globalThis.IntersectionObserver ?? NoopObserver,
});

// the scaffold's getContext stub returns undefined; Combobox measures its option labels with a canvas
HTMLCanvasElement.prototype.getContext = (() => ({
  measureText: (text: string) => ({ width: text.length * 7 }),
  font: '',
})) as unknown as typeof HTMLCanvasElement.prototype.getContext;

jest.mock('@grafana/runtime', () => {
  const actual = jest.requireActual('@grafana/runtime');
  const doubles = jest.requireActual('./grafana');
  return {
    ...actual,
    getBackendSrv: () => jest.requireActual('./backendSrv').testBackendSrv,
    PluginPage: doubles.TestPluginPage,
    DataSourcePicker: doubles.TestDataSourcePicker,
    hasPermission: jest.fn(() => true),
  };
});

// scenes need a started Grafana: page tests get a double listing the panels' real queries
jest.mock('../scenes/RunPanels/RunPanels', () => jest.requireActual('./mocks/RunPanels'));

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));

beforeEach(() => {
  jest.spyOn(locationService, 'reload').mockImplementation(() => undefined);
});

afterEach(() => {
  server.resetHandlers();
  runner.reset();
  const violations = takeViolations();
  if (violations.length > 0) {
    throw new Error(`requests or answers that break runner/openapi.json:\n${violations.join('\n')}`);
  }
});

afterAll(() => server.close());
