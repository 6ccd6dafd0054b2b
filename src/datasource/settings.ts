import { DataSourceSettings } from '@grafana/data';

import { PulseDataSourceOptions, PulseSecureJsonData } from './types';

/** Pure updates of the data source settings object; the config editor passes the result to onOptionsChange. */
export type PulseSettings = DataSourceSettings<PulseDataSourceOptions, PulseSecureJsonData>;

export type SecureKey = keyof PulseSecureJsonData & string;

export function isSecretConfigured(settings: PulseSettings, key: SecureKey): boolean {
  return Boolean(settings.secureJsonFields?.[key]);
}

export function setJsonData<K extends keyof PulseDataSourceOptions>(
  settings: PulseSettings,
  key: K,
  value: PulseDataSourceOptions[K] | undefined
): PulseSettings {
  const jsonData = { ...settings.jsonData };
  if (value === undefined) {
    delete jsonData[key];
  } else {
    jsonData[key] = value;
  }
  return { ...settings, jsonData };
}

export function setSecret(settings: PulseSettings, key: SecureKey, value: string): PulseSettings {
  return { ...settings, secureJsonData: { ...settings.secureJsonData, [key]: value } };
}

/**
 * Forgets a stored secret: Grafana keeps secrets write-only, so "reset" means marking the field as not
 * configured and sending an empty value that overwrites the stored one on save.
 */
export function resetSecret(settings: PulseSettings, key: SecureKey): PulseSettings {
  return {
    ...settings,
    secureJsonFields: { ...settings.secureJsonFields, [key]: false },
    secureJsonData: { ...settings.secureJsonData, [key]: '' },
  };
}

export type AuthMethod = 'none' | 'basic' | 'bearer';

export function authMethodOf(settings: PulseSettings): AuthMethod {
  if (settings.basicAuth) {
    return 'basic';
  }
  if (isSecretConfigured(settings, 'bearerToken') || settings.secureJsonData?.bearerToken) {
    return 'bearer';
  }
  return 'none';
}

/**
 * Switches the authentication method. The backend sends a bearer token whenever one is stored, so leaving
 * "bearer" must clear it; basic auth is governed by the `basicAuth` flag alone.
 */
export function setAuthMethod(settings: PulseSettings, method: AuthMethod): PulseSettings {
  let next: PulseSettings = { ...settings, basicAuth: method === 'basic' };
  const hasBearer = isSecretConfigured(settings, 'bearerToken') || settings.secureJsonData?.bearerToken !== undefined;
  if (method !== 'bearer' && hasBearer) {
    next = resetSecret(next, 'bearerToken');
  }
  return next;
}

/** One custom HTTP header: name in jsonData.httpHeaderNameN, value secret in secureJsonData.httpHeaderValueN. */
export interface CustomHeader {
  name: string;
  /** Value typed in this session; undefined when not typed. */
  value?: string;
  /** A value is stored on the server under `slot`. */
  configured: boolean;
  /** The N this header is stored under now. */
  slot: number;
}

const headerNameKey = (n: number) => `httpHeaderName${n}` as const;
const headerValueKey = (n: number) => `httpHeaderValue${n}` as const;

/** Reads headers 1..N; the SDK stops at the first missing name, so the editor does too. */
export function readCustomHeaders(settings: PulseSettings): CustomHeader[] {
  const headers: CustomHeader[] = [];
  for (let n = 1; ; n++) {
    const name = settings.jsonData[headerNameKey(n)];
    if (name === undefined) {
      return headers;
    }
    headers.push({
      name,
      value: settings.secureJsonData?.[headerValueKey(n)],
      configured: isSecretConfigured(settings, headerValueKey(n)),
      slot: n,
    });
  }
}

/**
 * Writes the headers back as httpHeaderName1..N / httpHeaderValue1..N (contiguous, as the SDK reads them).
 * A stored value cannot follow its header to a new N (the browser never sees it), so a stored header that
 * moves — after a row above it is removed — loses its value and asks for it again. Slots left behind are
 * overwritten with an empty value so no stale secret is sent under another header's name.
 */
export function writeCustomHeaders(settings: PulseSettings, headers: CustomHeader[]): PulseSettings {
  const previousCount = readCustomHeaders(settings).length;
  const jsonData: PulseDataSourceOptions = { ...settings.jsonData };
  const secureJsonData: PulseSecureJsonData = { ...settings.secureJsonData };
  const secureJsonFields = { ...settings.secureJsonFields };

  for (let n = 1; n <= previousCount; n++) {
    delete jsonData[headerNameKey(n)];
  }

  headers.forEach((header, i) => {
    const n = i + 1;
    jsonData[headerNameKey(n)] = header.name;
    const keepsStoredValue = header.configured && header.slot === n;
    if (keepsStoredValue) {
      return;
    }
    secureJsonFields[headerValueKey(n)] = false;
    secureJsonData[headerValueKey(n)] = header.configured ? '' : (header.value ?? '');
  });

  for (let n = headers.length + 1; n <= previousCount; n++) {
    if (secureJsonFields[headerValueKey(n)]) {
      secureJsonFields[headerValueKey(n)] = false;
      secureJsonData[headerValueKey(n)] = '';
    } else {
      delete secureJsonData[headerValueKey(n)];
    }
  }

  return { ...settings, jsonData, secureJsonData, secureJsonFields };
}
