/**
 * The MCP protocol revision Vigil's clients ask for (the k6 scripts, and test traffic elsewhere).
 * The server may answer with another revision it supports; scripts accept that.
 */
export const MCP_CLIENT_PROTOCOL_VERSION = '2025-06-18';

/**
 * JWS algorithms a `private_key_jwt` client assertion can be signed with by the scripts (k6's
 * WebCrypto: ECDSA P-256/P-384, RSASSA-PKCS1-v1_5, RSA-PSS; lib/jwt.ts maps each to its params).
 */
export const CLIENT_KEY_ALGS = ['ES256', 'ES384', 'RS256', 'PS256'] as const;
export type ClientKeyAlg = (typeof CLIENT_KEY_ALGS)[number];
