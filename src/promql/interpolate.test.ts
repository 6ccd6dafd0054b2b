import { decodePromQLStringLiteral } from './escape';
import { ReplaceVariables, VariableValue, interpolatePromQL } from './interpolate';

// Replaces `$v` (and `${v}`) by `value` through the format function, as Grafana's template service does.
const replaceWith =
  (value: VariableValue): ReplaceVariables =>
  (text, format) =>
    text.replace(/\$v\b|\$\{v\}/g, () => format(value));

const interpolate = (expr: string, value: VariableValue) => interpolatePromQL(expr, replaceWith(value));

/** The string literal that follows `label<op>` in a selector, decoded. */
function literalAfter(expr: string, prefix: string): string {
  const start = expr.indexOf(prefix) + prefix.length;
  let end = start + 1;
  while (expr[end] !== '"') {
    end += expr[end] === '\\' ? 2 : 1;
  }
  return decodePromQLStringLiteral(expr.slice(start, end + 1));
}

// The bad values of the reliability reference: quotes, backslashes, newlines, control characters, unicode,
// regex metacharacters and an injection attempt.
const BAD_VALUES = [
  'a"b',
  'a\\b',
  'a\\\\"b',
  "a'b",
  'C:\\ Label',
  'line1\nline2',
  '\t',
  '\u0007',
  '\u007f',
  'ü 日本 🙂',
  '',
  'shop.orders',
  'a+b',
  'a|b',
  '(x)',
  '[0-9]',
  '^$',
  '.*',
  '"} or vector(1) or up{x="',
];

describe('interpolatePromQL', () => {
  describe.each([
    ['a single value', (v: string): VariableValue => v],
    ['a multi-value variable with one value', (v: string): VariableValue => [v]],
  ])('%s', (_case, valueOf) => {
    it.each(BAD_VALUES)('in =~ matches %j literally and nothing else', (bad) => {
      const expr = interpolate('up{job=~"$v"}', valueOf(bad));
      const regex = literalAfter(expr, 'job=~');
      // Prometheus anchors the regex; JS RegExp reads these escapes as RE2 does.
      const anchored = new RegExp(`^(?:${regex})$`, 's');
      expect(anchored.test(bad)).toBe(true);
      for (const other of ['axb', 'shopXorders', 'aab', 'a', 'b', 'x', '5', 'anything', bad + 'x']) {
        if (other !== bad) {
          expect({ other, matches: anchored.test(other) }).toEqual({ other, matches: false });
        }
      }
      // Nothing escapes the string: the literal runs to the selector's closing brace.
      expect(expr.indexOf('"}')).toBe(expr.length - 2);
    });

    it.each(BAD_VALUES)('in = is the exact value %j', (bad) => {
      const expr = interpolate('up{job="$v"} or up{job!="$v"}', valueOf(bad));
      expect(literalAfter(expr, 'job=')).toBe(bad);
      expect(literalAfter(expr, 'job!=')).toBe(bad);
    });
  });

  it('renders several values as an escaped alternation in =~ and !~', () => {
    expect(interpolate('up{job=~"$v", x!~ "$v"}', ['shop.orders', 'a+b', 'a"b'])).toBe(
      'up{job=~"(shop\\\\.orders|a\\\\+b|a\\"b)", x!~ "(shop\\\\.orders|a\\\\+b|a\\"b)"}'
    );
  });

  it('keeps several values in = visible as (a|b), string-escaped', () => {
    expect(interpolate('up{job="$v"}', ['a.b', 'c"d'])).toBe('up{job="(a.b|c\\"d)"}');
  });

  it('escapes a value where the regex only surrounds it', () => {
    expect(interpolate('up{instance=~"$v:.*"}', 'host.1')).toBe('up{instance=~"host\\\\.1:.*"}');
  });

  it('inserts values outside strings as written, several joined by commas', () => {
    expect(interpolate('sum by ($v) (rate(x[$v]))', 'job')).toBe('sum by (job) (rate(x[job]))');
    expect(interpolate('sum by ($v) (up)', ['job', 'instance'])).toBe('sum by (job,instance) (up)');
    expect(interpolate('topk($v, up)', '5')).toBe('topk(5, up)');
  });

  it('moves single-quoted and raw strings that hold a variable into double quotes', () => {
    expect(interpolate(`up{job=~'$v', a='it\\'s "x"'}`, 'a"b')).toBe(`up{job=~"a\\"b", a='it\\'s "x"'}`);
    expect(interpolate(`up{job=~'$v "q" \\'s'}`, 'a.b')).toBe(`up{job=~"a\\\\.b \\"q\\" 's"}`);
    expect(interpolate('up{job=~`$v\\d`}', "a'b")).toBe('up{job=~"a\'b\\\\d"}');
  });

  it('leaves strings without variables exactly as written', () => {
    expect(interpolate(`label_replace(up, "dst", "$1", "src", '(.*)\\\\.x')`, 'v')).toBe(
      `label_replace(up, "dst", "$1", "src", '(.*)\\\\.x')`
    );
  });

  it('opens no string in a comment', () => {
    expect(interpolate(`up{job=~"$v"} # don't\n+ on() up{x="$v"}`, 'a.b')).toBe(
      `up{job=~"a\\\\.b"} # don't\n+ on() up{x="a.b"}`
    );
  });

  it('survives an unterminated string', () => {
    expect(interpolate('up{job=~"$v', 'a.b')).toBe('up{job=~"a\\\\.b');
  });
});
