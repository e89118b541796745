/**
 * jsdom, plus the Fetch API of Node itself (fetch, Request, Response, Headers, streams…), so that
 * MSW (`msw/node`) can answer the requests the app makes through the test BackendSrv
 * (src/test/backendSrv.ts). jsdom has no fetch of its own; Node's objects must be used together
 * (a Node Response with a jsdom Blob does not work), hence the whole set.
 *
 * `customExportConditions: ['']` makes packages resolve their Node entry (msw/node), not the
 * browser one jsdom would otherwise select.
 */
const { TestEnvironment } = require('jest-environment-jsdom');

const NODE_GLOBALS = [
  'fetch',
  'Request',
  'Response',
  'Headers',
  'FormData',
  'Blob',
  'File',
  'ReadableStream',
  'WritableStream',
  'TransformStream',
  'TextDecoderStream',
  'TextEncoderStream',
  'TextEncoder',
  'TextDecoder',
  'BroadcastChannel',
  'structuredClone',
  'URL',
  'URLSearchParams',
  'AbortController',
  'AbortSignal',
];

class JsdomWithNodeFetch extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.customExportConditions = [''];
    for (const name of NODE_GLOBALS) {
      if (globalThis[name] !== undefined) {
        this.global[name] = globalThis[name];
      }
    }
  }
}

module.exports = JsdomWithNodeFetch;
