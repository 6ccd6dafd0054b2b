/**
 * A stand-in for Grafana's template service with the behaviour interpolation depends on: `$name`, `${name}`,
 * `${name:format}` and `[[name]]` references; scoped variables before dashboard ones; a format function gets each
 * value with the variable's `multi`/`includeAll`; "All" with a custom all value is inserted as it is, without the
 * format function (as Grafana's TemplateSrv and Scenes' CustomAllValue do); "All" without one is every option.
 */
import type { ScopedVars } from '@grafana/data';
import { type TemplateSrv, setTemplateSrv } from '@grafana/runtime';

export interface FakeVariable {
  value: string | string[];
  multi?: boolean;
  includeAll?: boolean;
  /** "All" is selected: `allValue` when set, otherwise `options`. */
  all?: boolean;
  allValue?: string;
  options?: string[];
}

type Format = (value: string | string[], variable: { name: string; multi?: boolean; includeAll?: boolean }) => string;

const REFERENCE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?::([^}]+))?\}/g;

export function fakeTemplateSrv(variables: Record<string, FakeVariable>) {
  const replace = (target?: string, scopedVars?: ScopedVars, format?: Format | string) =>
    (target ?? '').replace(REFERENCE, (match, plain, bracket, bracketFormat, braced, bracedFormat) => {
      const name: string = plain ?? bracket ?? braced;
      const explicit: string | undefined = bracketFormat ?? bracedFormat;
      const scoped = scopedVars?.[name];
      if (scoped) {
        const value = scoped.value as string | string[];
        return typeof format === 'function' && !explicit ? format(value, { name }) : String(value);
      }
      const variable = variables[name];
      if (!variable) {
        return match;
      }
      if (variable.all && variable.allValue !== undefined) {
        return variable.allValue;
      }
      const value = variable.all ? (variable.options ?? []) : variable.value;
      const fn = explicit ?? format;
      if (fn === 'raw') {
        return Array.isArray(value) ? value.join(',') : value;
      }
      if (typeof fn === 'function') {
        return fn(value, { name, multi: variable.multi, includeAll: variable.includeAll });
      }
      return Array.isArray(value) ? `{${value.join(',')}}` : value;
    });
  setTemplateSrv({
    getVariables: () => Object.entries(variables).map(([name, v]) => ({ name, type: 'custom', ...v })),
    replace,
    containsTemplate: (target?: string) => Boolean(target && new RegExp(REFERENCE.source).test(target)),
    updateTimeRange: () => undefined,
  } as unknown as TemplateSrv);
}
