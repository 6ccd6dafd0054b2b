/**
 * Seeded PromQL inputs for the property tests: random expressions from a small grammar of what the Builder holds
 * (in every spelling: whitespace, line breaks, parentheses, keyword case, numbers, variables) with some of what it
 * refuses mixed in, and mutations of the hand-written corpus. Deterministic for a seed.
 */
import { CORPUS } from './corpus';

/** mulberry32: a small, fast, seeded PRNG. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Generator {
  constructor(private readonly next: () => number) {}

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }

  /** Optional whitespace between tokens. */
  private sp(): string {
    return this.chance(0.75) ? this.pick(['', '', ' ']) : this.pick(['  ', '\n', '\n  ', '\t', ' \n\t ']);
  }

  /** Required whitespace between words. */
  private ws(): string {
    return this.chance(0.85) ? ' ' : this.pick(['  ', '\n', '\n    ', '\t']);
  }

  private caseOf(word: string): string {
    if (this.chance(0.85)) {
      return word;
    }
    return this.pick([word.toUpperCase(), word[0].toUpperCase() + word.slice(1)]);
  }

  number(): string {
    const n = this.pick([
      '0',
      '1',
      '2',
      '5',
      '10',
      '100',
      '0.5',
      '0.95',
      '.5',
      '1.0',
      '1e3',
      '1E-3',
      '2.5e+2',
      '010',
      '08',
      '0755',
      '0x1F',
      '0xff',
      '1_000',
      '1_000.5',
      'Inf',
      'inf',
      'NaN',
      'nan',
      '1e400',
      '00',
      '99999999999999999999',
      '$n',
      '${n}',
      '[[n]]',
      '${n:raw}',
    ]);
    const sign = this.chance(0.2) ? this.pick(['-', '+', '- ']) : '';
    const spelled = `${n.startsWith('$') || n.startsWith('[') ? '' : sign}${n}`;
    return this.chance(0.1) ? `(${this.sp()}${spelled}${this.sp()})` : spelled;
  }

  private range(): string {
    return this.pick([
      '5m',
      '1m',
      '30s',
      '1h',
      '1h30m',
      '1d',
      '2w',
      '1y',
      '500ms',
      '300',
      '1.5',
      '0x10',
      '$__rate_interval',
      '$__interval',
      '${__range}',
      '[[window]]',
      '$__range_s',
      ...(this.chance(0.1) ? ['5$u', '5m:1m', '5m+1m'] : []),
    ]);
  }

  private string(value: string): string {
    const quote = this.pick(['"', '"', "'", '`']);
    if (quote === '`') {
      return /`/.test(value) ? JSON.stringify(value) : `\`${value}\``;
    }
    const escaped = value.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`).replace(/\n/g, '\\n');
    return `${quote}${escaped}${quote}`;
  }

  private labelName(): string {
    const name = this.pick([
      'job',
      'instance',
      'mode',
      'le',
      'code',
      'a',
      'b',
      '_x',
      'on',
      'by',
      'bool',
      'offset',
      'sum',
      'service.name',
      'quoted label',
      '__name__',
      ...(this.chance(0.05) ? ['l$abel', '$label'] : []),
    ]);
    return /^[a-zA-Z_]\w*$/.test(name) && !this.chance(0.1) ? name : this.string(name);
  }

  private metricName(): string {
    return this.pick([
      'up',
      'x',
      'y',
      'http_requests_total',
      'job:rate5m',
      'node_cpu_seconds_total',
      'h_bucket',
      'nestjs_info',
      ...(this.chance(0.05) ? ['node_${dev}_total', 'x_$a', '$metric'] : []),
    ]);
  }

  selector(): string {
    const matchers: string[] = [];
    const count = this.pick([0, 0, 1, 1, 2, 3]);
    for (let i = 0; i < count; i++) {
      const value = this.pick([
        'node',
        'a',
        '',
        'x.y',
        'a"b',
        'c\\d',
        'e\nf',
        '日本',
        '$job',
        '${job:regex}',
        '.*',
        '5..',
        '#x',
      ]);
      matchers.push(
        `${this.labelName()}${this.sp()}${this.pick(['=', '!=', '=~', '!~'])}${this.sp()}${this.string(value)}`
      );
    }
    const name = this.metricName();
    const form = this.int(10);
    if (form === 0) {
      matchers.unshift(this.string(name));
    } else if (form === 1) {
      matchers.push(`__name__=${this.string(name)}`);
    }
    const braces = `{${this.sp()}${matchers.join(`,${this.sp()}`)}${this.chance(0.1) ? ',' : ''}${this.sp()}}`;
    if (form <= 1) {
      return braces;
    }
    return matchers.length > 0 || this.chance(0.1) ? `${name}${braces}` : name;
  }

  private labels(): string {
    const list = Array.from({ length: this.pick([0, 1, 1, 2]) }, () => this.labelName());
    return `(${this.sp()}${list.join(`,${this.sp()}`)}${this.sp()})`;
  }

  private paren(expr: string): string {
    return this.chance(0.15) ? `(${this.sp()}${expr}${this.sp()})` : expr;
  }

  /** An expression, mostly of what the Builder holds. */
  expr(depth = 0): string {
    const leaf = depth >= 3 || this.chance(0.25);
    const kind = leaf
      ? this.pick(['selector', 'range'])
      : this.pick([
          'selector',
          'range',
          'range',
          'aggregation',
          'aggregation',
          'ranking',
          'quantile',
          'scalar',
          'scalar',
          'binary',
          'binary',
          'binary',
          'refused',
        ]);
    switch (kind) {
      case 'selector':
        return this.paren(this.selector());
      case 'range': {
        const fn = this.pick(['rate', 'irate', 'increase', 'delta', 'avg_over_time', 'max_over_time', 'changes']);
        return `${fn}(${this.sp()}${this.selector()}[${this.sp()}${this.range()}${this.sp()}]${this.sp()})`;
      }
      case 'aggregation':
      case 'ranking': {
        const fn =
          kind === 'ranking'
            ? this.pick(['topk', 'bottomk'])
            : this.pick(['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev']);
        const args = kind === 'ranking' ? `${this.number()},${this.sp()}${this.expr(depth + 1)}` : this.expr(depth + 1);
        const body = `(${this.sp()}${args}${this.sp()})`;
        if (this.chance(0.3)) {
          return `${this.caseOf(fn)}${this.sp()}${body}`;
        }
        const modifier = `${this.caseOf(this.pick(['by', 'by', 'without']))}${this.sp()}${this.labels()}`;
        return this.chance(0.7)
          ? `${this.caseOf(fn)}${this.ws()}${modifier}${this.sp()}${body}`
          : `${this.caseOf(fn)}${body}${this.ws()}${modifier}`;
      }
      case 'quantile':
        return `histogram_quantile(${this.sp()}${this.number()},${this.sp()}${this.expr(depth + 1)}${this.sp()})`;
      case 'scalar': {
        const op = this.pick(['+', '-', '*', '/', '%', '^', '==', '!=', '>', '<', '>=', '<=']);
        const bool = this.chance(0.2) ? `${this.ws()}${this.caseOf('bool')}` : '';
        const inner = this.paren(this.expr(depth + 1));
        return this.chance(0.3)
          ? `${this.number()}${this.sp()}${op}${bool}${this.ws()}${inner}`
          : `${inner}${this.sp()}${op}${bool}${this.ws()}${this.number()}`;
      }
      case 'binary': {
        const op = this.pick(['+', '-', '*', '/', '^', '==', '>', '<=', 'and', 'or', 'unless', 'AND', 'Or']);
        const bool = this.chance(0.15) ? `${this.ws()}bool` : '';
        let matching = '';
        if (this.chance(0.4)) {
          matching = `${this.ws()}${this.caseOf(this.pick(['on', 'ignoring']))}${this.sp()}${this.labels()}`;
          if (this.chance(0.4)) {
            const group = this.caseOf(this.pick(['group_left', 'group_right']));
            matching += this.chance(0.5) ? `${this.ws()}${group}` : `${this.ws()}${group}${this.sp()}${this.labels()}`;
          }
        }
        const word = /^[a-z]/i.test(op);
        return `${this.paren(this.expr(depth + 1))}${word ? this.ws() : this.sp()}${op}${bool}${matching}${this.ws()}${this.paren(this.expr(depth + 1))}`;
      }
      default:
        return this.pick([
          `${this.selector()} offset 5m`,
          `${this.selector()} @ 1700000000`,
          `rate(${this.selector()}[5m:1m])`,
          `label_replace(${this.selector()}, "a", "$1", "b", "(.*)")`,
          `-${this.selector()}`,
          `abs(${this.selector()})`,
          `# note\n${this.selector()}`,
          `${this.selector()} # note\n`,
          `"text"`,
        ]);
    }
  }

  /** A corpus entry or a generated expression, changed by one to three random edits. */
  mutate(input: string): string {
    let text = input;
    const edits = 1 + this.int(3);
    for (let i = 0; i < edits; i++) {
      const at = this.int(text.length + 1);
      switch (this.int(9)) {
        case 0: // insert a fragment
          text = text.slice(0, at) + this.pick(FRAGMENTS) + text.slice(at);
          break;
        case 1: // delete a few characters
          text = text.slice(0, at) + text.slice(at + 1 + this.int(4));
          break;
        case 2: {
          // another number spelling
          const numbers = [...text.matchAll(/\b\d[\w.]*/g)];
          if (numbers.length > 0) {
            const n = this.pick(numbers);
            text = text.slice(0, n.index) + this.number() + text.slice(n.index! + n[0].length);
          }
          break;
        }
        case 3: {
          // a word in another case, or a variable in its place or glued to it
          const words = [...text.matchAll(/[a-zA-Z_][\w:]*/g)];
          if (words.length > 0) {
            const w = this.pick(words);
            const replacement = this.pick([w[0].toUpperCase(), `$${w[0]}`, `${w[0]}_$v`, `\${${w[0]}}`, `[[${w[0]}]]`]);
            text = text.slice(0, w.index) + replacement + text.slice(w.index! + w[0].length);
          }
          break;
        }
        case 4: // a comment
          text = text.slice(0, at) + this.pick(['#c\n', ' # note\n', '\n# line\n']) + text.slice(at);
          break;
        case 5: // whitespace and line breaks
          text = text.replace(/ /g, () => this.pick([' ', ' ', '\n', '  ', '\t', '']));
          break;
        case 6: // wrapped in parentheses
          text = `(${text})`;
          break;
        case 7: // two queries joined
          text = `${text} ${this.pick(['+', '/', 'and', 'or', '>', '* on (job) group_left', '/ ignoring (a)', 'and bool'])} ${this.pick(CORPUS)}`;
          break;
        default: {
          // a piece of another corpus entry spliced in
          const other = this.pick(CORPUS);
          const from = this.int(other.length + 1);
          text = text.slice(0, at) + other.slice(from, from + 1 + this.int(12)) + text.slice(at + this.int(6));
        }
      }
    }
    return text;
  }
}

const FRAGMENTS = [
  ' ',
  '\n',
  '\t',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ',',
  '"',
  "'",
  '`',
  '\\',
  '$x',
  '${v}',
  '[[v]]',
  '$__interval',
  ' by ',
  ' BY ',
  ' on ',
  ' group_left ',
  ' bool ',
  ' offset 5m',
  ' @ ',
  '-',
  '+',
  '*',
  '/',
  '^',
  '==',
  '>',
  ' and ',
  ' OR ',
  ' unless ',
  '0',
  '010',
  '0x1F',
  '1_000',
  '1e3',
  'Inf',
  'NaN',
  '5m',
  '300',
  ':',
  '=~',
  '!~',
  '=',
  'rate',
  'sum',
  'topk',
  'histogram_quantile',
  '{__name__="x"}',
  '"x"',
  '_',
  '.',
  '#',
];
