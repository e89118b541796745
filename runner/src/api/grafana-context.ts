/**
 * The user behind a request that came through Grafana's plugin proxy (`X-Grafana-Context`). The
 * header may be JSON or a JWT; it is parsed defensively and only login and user id are kept.
 */
import type { CreatedBy } from '../store/types.ts';

const LOGIN_KEYS = ['login', 'Login', 'user', 'username', 'preferred_username'];
const ID_KEYS = ['userId', 'UserId', 'UserID', 'userID', 'id', 'sub'];

function clean(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value)
    .replace(/[^\w@.\-+: ]/g, '')
    .slice(0, 200);
  return text === '' ? undefined : text;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function parseGrafanaContext(header: string | string[] | undefined): CreatedBy | null {
  const raw = Array.isArray(header) ? header[0] : header;
  if (!raw || raw.length > 16_384) return null;
  let payload = parseObject(raw);
  if (!payload) {
    const parts = raw.split('.');
    if (parts.length === 3 && parts[1])
      payload = parseObject(Buffer.from(parts[1], 'base64url').toString('utf8'));
  }
  if (!payload) return null;
  const pick = (keys: string[]) => keys.map((k) => clean(payload![k])).find((v) => v !== undefined);
  const login = pick(LOGIN_KEYS);
  const userId = pick(ID_KEYS);
  if (!login && !userId) return null;
  return { ...(login ? { login } : {}), ...(userId ? { userId } : {}) };
}
