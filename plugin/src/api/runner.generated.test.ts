import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import path from 'path';
import { pathToFileURL } from 'url';
import { OPENAPI_PATH } from '../test/openapi';

/**
 * What `npm run api:types` (openapi-typescript's CLI, no options) writes: COMMENT_HEADER +
 * astToString(openapiTS(document)). Run in a Node child process: openapi-typescript's CJS entry
 * requires ES-module-only packages (parse-json…) that Jest cannot load without compiling half of
 * node_modules.
 */
function generate(): string {
  const script = `
    import openapiTS, { COMMENT_HEADER, astToString } from 'openapi-typescript';
    const ast = await openapiTS(new URL(${JSON.stringify(pathToFileURL(OPENAPI_PATH).href)}), { silent: true });
    process.stdout.write(COMMENT_HEADER + astToString(ast));
  `;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: path.resolve(__dirname, '..', '..'),
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
}

test('runner.generated.ts is what openapi-typescript generates from runner/openapi.json (npm run api:types)', () => {
  const committed = readFileSync(path.join(__dirname, 'runner.generated.ts'), 'utf8');
  expect(committed).toBe(generate());
}, 60_000);
