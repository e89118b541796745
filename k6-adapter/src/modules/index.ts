/** The table of emulated k6 modules for one VU (each VU has its own, as each k6 VU has its own runtime). */
import type { K6ModuleName } from '../bundle.ts';
import type { HttpTransport } from '../http-transport.ts';
import type { Runtime } from '../runtime.ts';
import { createCryptoModule, createEncodingModule } from './crypto.ts';
import { createHttpModule } from './http.ts';
import { createExecutionModule, createK6Module } from './k6.ts';
import { createMetricsModule } from './metrics.ts';
import { createSecretsModule, createTimers } from './timers.ts';
import { createWebSocketsModule } from './websockets.ts';

/** Shape esbuild's CommonJS interop expects: named exports plus `default`. */
function esModule(exports: object): object {
  return Object.freeze({ __esModule: true, ...exports, default: exports });
}

export interface VuModules {
  require: (name: string) => unknown;
  timers: ReturnType<typeof createTimers>;
  resetCookies: () => void;
}

export function createVuModules(runtime: Runtime, transport: HttpTransport): VuModules {
  const timers = createTimers(runtime);
  const http = createHttpModule(runtime, transport);
  const table: Record<K6ModuleName, object> = {
    k6: esModule(createK6Module(runtime)),
    'k6/http': esModule(http.module),
    'k6/metrics': esModule(createMetricsModule(runtime)),
    'k6/crypto': esModule(createCryptoModule(runtime)),
    'k6/encoding': esModule(createEncodingModule(runtime)),
    'k6/execution': esModule(createExecutionModule(runtime)),
    'k6/secrets': esModule(createSecretsModule(runtime)),
    'k6/timers': esModule(timers),
    'k6/websockets': esModule(createWebSocketsModule(runtime)),
  };
  return {
    require: (name: string) => {
      const module = table[name as K6ModuleName];
      if (!module)
        throw runtime.error(
          `unknown module "${String(name)}": the test-only k6 adapter only provides k6 modules`,
        );
      return module;
    },
    timers,
    resetCookies: http.resetCookies,
  };
}
