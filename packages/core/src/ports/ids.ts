/**
 * The id port: prefixed, time-sortable ids (`bkg_01j…`, TypeID over UUIDv7). Injected so tests can
 * make ids deterministic; the default uses typeid-js.
 * @module
 */
import { typeid } from 'typeid-js';

export type IdPrefix =
  | 'rsc'
  | 'svc'
  | 'alc'
  | 'ct'
  | 'bkg'
  | 'bks'
  | 'evt'
  | 'org'
  | 'key'
  | 'aud'
  | 'prd'
  | 'ent'
  | 'trf'
  | 'wl';
export type IdGenerator = (prefix: IdPrefix) => string;

export const typeIdGenerator: IdGenerator = (prefix) => typeid(prefix).toString();
