import { PulseSettings, authMethodOf, readCustomHeaders, setAuthMethod, writeCustomHeaders } from './settings';

const base = (overrides: Partial<PulseSettings>): PulseSettings =>
  ({ jsonData: {}, secureJsonFields: {}, basicAuth: false, ...overrides }) as PulseSettings;

describe('custom headers', () => {
  it('reads rows up to the first missing name, as the SDK does', () => {
    const settings = base({
      jsonData: { httpHeaderName1: 'A', httpHeaderName3: 'C' },
      secureJsonFields: { httpHeaderValue1: true },
    });
    expect(readCustomHeaders(settings)).toEqual([{ name: 'A', value: undefined, configured: true, slot: 1 }]);
  });

  it('keeps a stored value that stays in its slot untouched', () => {
    const settings = base({
      jsonData: { httpHeaderName1: 'A', httpHeaderName2: 'B' },
      secureJsonFields: { httpHeaderValue1: true, httpHeaderValue2: true },
    });
    const [first] = readCustomHeaders(settings);
    const next = writeCustomHeaders(settings, [first]);

    expect(next.jsonData).toEqual({ httpHeaderName1: 'A' });
    expect(next.secureJsonFields).toEqual({ httpHeaderValue1: true, httpHeaderValue2: false });
    // only the dropped slot is overwritten
    expect(next.secureJsonData).toEqual({ httpHeaderValue2: '' });
  });

  it('drops a value typed for a removed trailing row instead of blanking it', () => {
    const settings = base({
      jsonData: { httpHeaderName1: 'A', httpHeaderName2: 'B' },
      secureJsonData: { httpHeaderValue1: 'a', httpHeaderValue2: 'b' },
    });
    const [first] = readCustomHeaders(settings);
    expect(writeCustomHeaders(settings, [first]).secureJsonData).toEqual({ httpHeaderValue1: 'a' });
  });
});

describe('authentication method', () => {
  it('derives the method from the settings', () => {
    expect(authMethodOf(base({}))).toBe('none');
    expect(authMethodOf(base({ basicAuth: true }))).toBe('basic');
    expect(authMethodOf(base({ secureJsonFields: { bearerToken: true } }))).toBe('bearer');
  });

  it('switching to none clears a stored bearer token and turns basic auth off', () => {
    const next = setAuthMethod(base({ basicAuth: true, secureJsonFields: { bearerToken: true } }), 'none');
    expect(next.basicAuth).toBe(false);
    expect(next.secureJsonFields.bearerToken).toBe(false);
    expect(next.secureJsonData?.bearerToken).toBe('');
  });

  it('switching does not invent a bearer token field when there was none', () => {
    expect(setAuthMethod(base({}), 'basic').secureJsonData).toBeUndefined();
  });
});
