/**
 * Token-level mutations of PromQL for the mutation test (mutation.test.ts): a text is split into PromQL's tokens
 * (strings, variables, comments, numbers and durations, names, operators, brackets, whitespace) and tokens are
 * deleted, repeated, swapped, replaced or inserted from a pool of the spellings that break parsers: odd numbers and
 * durations, modifiers, keywords, Grafana variables in every form, comments. Also deep nesting and huge inputs.
 * Deterministic for a seed (Generator from generate.ts).
 */
import { Generator } from './generate';

const TOKEN = new RegExp(
  [
    String.raw`"(?:[^"\\\n]|\\.)*"?`,
    String.raw`'(?:[^'\\\n]|\\.)*'?`,
    '`[^`]*`?',
    String.raw`#[^\n]*`,
    String.raw`\$\{[^}\s]*\}?`,
    String.raw`\[\[\w+(?::\w+)?\]\]`,
    String.raw`\$\w*`,
    String.raw`0[xX][0-9a-fA-F_]+`,
    String.raw`(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?(?:ms|[smhdwy])*`,
    String.raw`[A-Za-z_:][\w:.]*`,
    String.raw`=~|!~|!=|==|<=|>=|[-+*/%^<>=@,:;]`,
    String.raw`[(){}\[\]]`,
    String.raw`\s+`,
    '.',
  ].join('|'),
  'gsu'
);

/** PromQL's tokens, in order; joined they are the text again. */
export function tokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** What gets inserted or put in a token's place. */
export const POOL: readonly string[] = [
  // numbers of every spelling
  '0',
  '1',
  '-1',
  '010',
  '08',
  '0755',
  '0x1F',
  '0XfF',
  '1_000',
  '1__0',
  '1e3',
  '1E-3',
  '.5',
  '5.',
  '1e400',
  '-1e400',
  '1e-400',
  'Inf',
  '-Inf',
  'inf',
  'NaN',
  'nan',
  '00',
  '99999999999999999999',
  '0x',
  '1e',
  '-0',
  // durations
  '5m',
  '1h30m',
  '0s',
  '300',
  '1.5',
  '1y2w3d',
  '99999999999999d',
  '5m5m',
  '1ms',
  '30s1m',
  '5M',
  '[5m]',
  '[5m:]',
  '[1h:5m]',
  '[$__rate_interval]',
  '[5m] offset 1m',
  // modifiers and keywords
  ' offset 5m',
  ' offset -1m',
  ' offset $shift',
  ' @ 1700000000',
  ' @ start()',
  ' @ end()',
  '@',
  'offset',
  ' bool ',
  'bool',
  ' on (a) ',
  ' ignoring (a) ',
  ' group_left ',
  ' group_left () ',
  ' group_right (b) ',
  ' by (a) ',
  ' without () ',
  'by',
  'and',
  'or',
  'unless',
  ' or vector(0)',
  'vector(1)',
  'time()',
  'sum',
  'SUM',
  'topk',
  'Rate',
  'rate',
  'count_values',
  'label_replace',
  'holt_winters',
  'histogram_quantile',
  'start',
  'end',
  'step()',
  // Grafana variables, alone and glued
  '$x',
  '${x}',
  '${x:csv}',
  '${x:regex}',
  '[[x]]',
  '[[x:text]]',
  '$__rate_interval',
  '$__interval',
  '$__range_s',
  '$',
  '${',
  '_$dev',
  '$dev_',
  'node_${dev}_bytes',
  // comments, strings, names
  '# comment\n',
  '#',
  '\n# c\n',
  '"v"',
  "'v'",
  '`v`',
  '"',
  '"\\x41"',
  '"\\q"',
  '__name__',
  '{"x"}',
  '{}',
  'up',
  'a.b',
  '日本',
  // operators and brackets
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '==',
  '!=',
  '>',
  '<',
  '>=',
  '<=',
  '=~',
  '!~',
  '=',
  ',',
  ':',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '\n',
  ' ',
  '\t',
  '',
];

export class Mutator {
  constructor(private readonly gen: Generator) {}

  /** One token edit of a text, sometimes two or three. */
  mutate(text: string): string {
    let list = tokens(text);
    const edits = this.gen.chance(0.6) ? 1 : 2 + this.gen.int(2);
    for (let e = 0; e < edits; e++) {
      list = this.edit(list);
    }
    return list.join('');
  }

  private edit(list: string[]): string[] {
    const out = [...list];
    const at = this.gen.int(out.length + 1);
    switch (this.gen.int(6)) {
      case 0: // delete a token
        out.splice(at, 1);
        break;
      case 1: // repeat a token
        if (at < out.length) {
          out.splice(at, 0, out[at]);
        }
        break;
      case 2: {
        // swap two tokens (neighbours more often)
        const other = this.gen.chance(0.7) ? at + 1 + this.gen.int(2) : this.gen.int(out.length);
        if (at < out.length && other < out.length) {
          [out[at], out[other]] = [out[other], out[at]];
        }
        break;
      }
      case 3: // replace a token
        out.splice(at, 1, this.gen.pick(POOL));
        break;
      case 4: // insert a token
        out.splice(at, 0, this.gen.pick(POOL));
        break;
      default: {
        // move a token elsewhere
        const [moved] = out.splice(at, 1);
        if (moved !== undefined) {
          out.splice(this.gen.int(out.length + 1), 0, moved);
        }
      }
    }
    return out;
  }

  /** An expression nested `depth` times in functions, aggregations, parentheses and operations. */
  nest(seed: string, depth: number): string {
    let text = seed;
    for (let i = 0; i < depth; i++) {
      text = this.gen.pick([
        (t: string) => `(${t})`,
        (t: string) => `sum by (a) (${t})`,
        (t: string) => `abs(${t})`,
        (t: string) => `${t} * 2`,
        (t: string) => `-${t}`,
        (t: string) => `topk(1, ${t})`,
        (t: string) => `${t} > bool 0`,
      ])(text);
    }
    return text;
  }

  /** A long text: `count` operands joined by operators, or a selector with `count` matchers. */
  huge(count: number): string {
    if (this.gen.chance(0.5)) {
      const parts = Array.from({ length: count }, (_, i) => `m${i}{job="j${i}"}`);
      return parts.join(this.gen.pick([' + ', ' or ', ' / on (job) ', '\n  and ']));
    }
    const matchers = Array.from({ length: count }, (_, i) => `l${i}=~"v${i}|$x"`);
    return `sum by (job) (rate(x{${matchers.join(', ')}}[5m]))`;
  }
}
