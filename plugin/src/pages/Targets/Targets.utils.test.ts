import { makeTarget } from '../../test/fixtures';
import { operation } from '../../test/openapi';
import { NAME_PATTERN } from '../../utils/names';
import { validate } from '../../utils/form';
import {
  CLIENT_KEY_ALGS,
  GRANTS,
  TARGET_LIMITS,
  TOKEN_AUTHS,
  formFieldOf,
  formToCreate,
  formToPatch,
  targetFormSchema,
  targetToForm,
} from './Targets.utils';

type JsonSchema = {
  type?: string;
  pattern?: string;
  maxLength?: number;
  enum?: string[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
};
const create = operation('/api/targets', 'post').requestBody!.content['application/json'].schema as JsonSchema;
const authSchema = create.properties!.auth.properties!;
const stringOf = (schema: JsonSchema) => schema.anyOf?.find((option) => option.type === 'string') ?? schema;

describe('the target form mirrors the runner (runner/openapi.json POST /api/targets)', () => {
  it('has the same name pattern and lengths', () => {
    expect(NAME_PATTERN.source).toBe(create.properties!.name.pattern);
    expect(TARGET_LIMITS.name).toBe(create.properties!.name.maxLength);
    expect(TARGET_LIMITS.mcpUrl).toBe(create.properties!.mcpUrl.maxLength);
    for (const field of [
      'clientId',
      'clientSecret',
      'loginUser',
      'loginPassword',
      'clientPrivateKey',
      'scopes',
      'clientMetadataUrl',
    ] as const) {
      expect([field, TARGET_LIMITS[field]]).toEqual([field, stringOf(authSchema[field]).maxLength]);
    }
  });

  it('offers the same grants, token endpoint auth methods and key algorithms', () => {
    expect([...GRANTS]).toEqual(stringOf(authSchema.grant).enum);
    expect([...TOKEN_AUTHS]).toEqual(stringOf(authSchema.tokenAuth).enum);
    expect([...CLIENT_KEY_ALGS]).toEqual(stringOf(authSchema.clientKeyAlg).enum);
  });

  it('knows every auth field the runner takes, and no other', () => {
    expect(
      Object.keys(targetToForm())
        .filter((key) => !['name', 'mcpUrl'].includes(key))
        .sort()
    ).toEqual(Object.keys(authSchema).sort());
  });
});

describe('targetFormSchema', () => {
  const valid = { ...targetToForm(), name: 'prod-mcp', mcpUrl: 'https://mcp.example.com/mcp' };

  it.each([
    ['a space in the name', { name: 'prod mcp' }, 'name'],
    ['a name starting with a dot', { name: '.prod' }, 'name'],
    ['a relative URL', { mcpUrl: '/mcp' }, 'mcpUrl'],
    ['a URL with credentials', { mcpUrl: 'https://u:p@mcp.example.com/mcp' }, 'mcpUrl'],
    ['an http client metadata URL', { clientMetadataUrl: 'http://client.example.com/m.json' }, 'clientMetadataUrl'],
    [
      'a private key that is not PKCS#8',
      { clientPrivateKey: { value: '-----BEGIN EC PRIVATE KEY-----', configured: false } },
      'clientPrivateKey',
    ],
  ])('refuses %s', (_, change, field) => {
    expect(Object.keys(validate(targetFormSchema, { ...valid, ...change }))).toEqual([field]);
  });

  it('accepts a complete target', () => {
    expect(validate(targetFormSchema, valid)).toEqual({});
  });
});

describe('request bodies', () => {
  it('creates with only the fields given (trimmed) and the typed secrets', () => {
    const values = {
      ...targetToForm(),
      name: ' prod ',
      mcpUrl: 'https://mcp.example.com/mcp ',
      tokenAuth: 'private_key_jwt' as const,
      clientPrivateKey: { value: '-----BEGIN PRIVATE KEY-----\nMC4\n-----END PRIVATE KEY-----', configured: false },
    };
    expect(formToCreate(values)).toEqual({
      name: 'prod',
      mcpUrl: 'https://mcp.example.com/mcp',
      auth: { tokenAuth: 'private_key_jwt', clientPrivateKey: values.clientPrivateKey.value },
    });
  });

  it('patches what changed: null for an emptied field or a reset secret, a typed secret, nothing else', () => {
    const target = makeTarget({
      name: 'prod',
      auth: { clientId: 'a', scopes: 'mcp', hasClientSecret: true, hasLoginPassword: true, hasClientPrivateKey: false },
    });
    const values = targetToForm(target);
    expect(formToPatch(values, target)).toEqual({});
    expect(
      formToPatch(
        {
          ...values,
          scopes: '',
          clientSecret: { value: '', configured: false },
          loginPassword: { value: 'new', configured: false },
        },
        target
      )
    ).toEqual({ auth: { scopes: null, clientSecret: null, loginPassword: 'new' } });
  });

  it("maps the runner's field names onto the form", () => {
    expect(formFieldOf('auth.clientSecret')).toBe('clientSecret');
    expect(formFieldOf('name')).toBe('name');
    expect(formFieldOf('id')).toBeUndefined();
  });
});
