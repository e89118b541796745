/**
 * The MCP protocol revision Vigil's clients ask for (the k6 scripts, and test traffic elsewhere).
 * The server may answer with another revision it supports; scripts accept that.
 */
export const MCP_CLIENT_PROTOCOL_VERSION = '2025-06-18';
