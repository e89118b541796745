import { makeTarget } from './fixtures';
import { checkRequest, checkResponse } from './openapi';

// The checks every MSW answer and request goes through (see handlers.ts): they must catch drift.
describe('the OpenAPI checks of the runner double', () => {
  it('accepts an answer that conforms', () => {
    expect(checkResponse('/api/targets/{id}', 'get', 200, makeTarget())).toEqual([]);
    expect(checkResponse('/api/targets/{id}', 'delete', 204, undefined)).toEqual([]);
    expect(checkResponse('/api/targets', 'get', 409, { error: { code: 'x', message: 'y' } })).toEqual([]);
  });

  it('refuses an answer that leaks a secret or misses a field', () => {
    const target = makeTarget();
    expect(
      checkResponse('/api/targets/{id}', 'get', 200, { ...target, auth: { ...target.auth, clientSecret: 's' } })
    ).not.toEqual([]);
    const { updatedAt: _dropped, ...incomplete } = target;
    expect(checkResponse('/api/targets/{id}', 'get', 200, incomplete)).not.toEqual([]);
  });

  it('refuses an error answer not in the runner shape, a status or a path the document lacks', () => {
    expect(checkResponse('/api/targets', 'get', 500, { message: 'oops' })).not.toEqual([]);
    expect(checkResponse('/api/targets/{id}', 'delete', 200, {})).toEqual([
      'runner/openapi.json: DELETE /api/targets/{id} never answers 200',
    ]);
    expect(checkResponse('/api/nothing', 'get', 200, {})).toEqual(['runner/openapi.json has no GET /api/nothing']);
  });

  it('refuses a request body, query or path parameter the runner would refuse', () => {
    const none = new URLSearchParams();
    expect(
      checkRequest('/api/probes', 'post', {
        params: {},
        query: none,
        body: { name: 'p', targetId: 't', intervalSeconds: 5 },
      })
    ).not.toEqual([]);
    expect(
      checkRequest('/api/probes', 'post', {
        params: {},
        query: none,
        body: { name: 'p', targetId: 't', intervalSeconds: 60, x: 1 },
      })
    ).not.toEqual([]);
    expect(
      checkRequest('/api/targets', 'get', { params: {}, query: new URLSearchParams('limit=900'), body: undefined })
    ).not.toEqual([]);
    expect(
      checkRequest('/api/targets', 'get', { params: {}, query: new URLSearchParams('page=2'), body: undefined })
    ).toEqual(['query parameter page is not in the document']);
    expect(
      checkRequest('/api/targets/{id}', 'get', { params: { id: 'x'.repeat(65) }, query: none, body: undefined })
    ).not.toEqual([]);
    expect(
      checkRequest('/api/probes', 'post', {
        params: {},
        query: none,
        body: { name: 'p', targetId: 't', intervalSeconds: 60 },
      })
    ).toEqual([]);
  });
});
