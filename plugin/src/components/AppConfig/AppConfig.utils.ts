/** Why a runner URL cannot be used by Grafana's proxy, or undefined when it can. */
export function runnerUrlProblem(raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') {
    return 'the runner URL is required, e.g. http://vigil-runner:8090';
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http(s) URL, e.g. http://vigil-runner:8090';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'must use http or https';
  }
  if (url.search || url.hash) {
    return 'must not have a query or fragment: the API paths are appended to it';
  }
  return undefined;
}

/** The URL as the routes append paths to it: no trailing slash. */
export function normalizeRunnerUrl(raw: string): string {
  return raw.trim().replace(/\/+$/, '');
}
