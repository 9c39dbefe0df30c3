/**
 * jsonwebtoken, loaded the first time a JWT option is in use (socket.io `jwt_key`, the HTTP API's
 * `--jwt-secret`) instead of at start-up, where it cost ~25 ms for servers that never verify a token.
 * It is a CommonJS package, so `require` loads it synchronously and the callers stay synchronous.
 */
import { createRequire } from 'node:module';
import type jsonwebtoken from 'jsonwebtoken';

export type JsonWebToken = typeof jsonwebtoken;

const require = createRequire(import.meta.url);
let loaded: JsonWebToken | undefined;

/** The jsonwebtoken module; the first call loads it, later calls return the same module. */
export function loadJsonWebToken(): JsonWebToken {
  loaded ??= require('jsonwebtoken') as JsonWebToken;
  return loaded;
}
