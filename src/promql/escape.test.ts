import {
  decodePromQLStringLiteral,
  escapeLabelValueInExactSelector,
  escapeLabelValueInRegexSelector,
  escapeRegexMetacharacters,
  regexAlternation,
} from './escape';

describe('escapeLabelValueInExactSelector', () => {
  it.each([
    ['plain', 'plain'],
    ['say "hi"', 'say \\"hi\\"'],
    ['C:\\temp', 'C:\\\\temp'],
    ['line1\nline2\ttab\r', 'line1\\nline2\\ttab\\r'],
    ['bell\u0007', 'bell\\a'],
    ['\b\f\v', '\\b\\f\\v'],
    ['nul\u0000 esc\u001b del\u007f', 'nul\\x00 esc\\x1b del\\x7f'],
    ['C:\\ Label', 'C:\\\\ Label'],
    ['ü 日本 🙂', 'ü 日本 🙂'],
    ['a.b*c', 'a.b*c'],
  ])('%j -> %j', (value, expected) => {
    expect(escapeLabelValueInExactSelector(value)).toBe(expected);
  });
});

describe('escapeRegexMetacharacters', () => {
  it('escapes every RE2 metacharacter', () => {
    expect(escapeRegexMetacharacters('\\.+*?()|[]{}^$')).toBe('\\\\\\.\\+\\*\\?\\(\\)\\|\\[\\]\\{\\}\\^\\$');
  });

  it('leaves other characters alone', () => {
    expect(escapeRegexMetacharacters('users-controller_v2/get')).toBe('users-controller_v2/get');
  });
});

describe('escapeLabelValueInRegexSelector', () => {
  it.each([
    ['GET', 'GET'],
    // regex escape, then the backslash is doubled for the PromQL string
    ['api.v1', 'api\\\\.v1'],
    ['a+b', 'a\\\\+b'],
    ['(x|y)', '\\\\(x\\\\|y\\\\)'],
    ['a\\b', 'a\\\\\\\\b'],
    ['say "hi"', 'say \\"hi\\"'],
  ])('%j -> %j', (value, expected) => {
    expect(escapeLabelValueInRegexSelector(value)).toBe(expected);
  });
});

describe('regexAlternation', () => {
  it('joins several values in one group', () => {
    expect(regexAlternation(['UsersController', 'Orders.Controller'])).toBe('(UsersController|Orders\\\\.Controller)');
  });

  it('renders a single value without parentheses', () => {
    expect(regexAlternation(['GET'])).toBe('GET');
  });
});

describe('decodePromQLStringLiteral', () => {
  // Bad inputs from the reliability reference: each must survive escaping and decoding unchanged.
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
    '\u0000\u0001\u001f',
    '\b\f\v\r',
    'ü',
    '日本',
    '🙂',
    '👩‍👩‍👧',
    '',
    'x'.repeat(4096),
    '"} or vector(1) or up{x="',
    'a.b',
    'a|b',
    '(x)',
    '[0-9]',
    '^$',
    '.*',
  ];

  it.each(BAD_VALUES.map((v) => [v]))('exact escaping round-trips %j', (value) => {
    expect(decodePromQLStringLiteral(`"${escapeLabelValueInExactSelector(value)}"`)).toBe(value);
  });

  it.each(BAD_VALUES.map((v) => [v]))('regex escaping decodes to the regex-escaped value %j', (value) => {
    expect(decodePromQLStringLiteral(`"${escapeLabelValueInRegexSelector(value)}"`)).toBe(
      escapeRegexMetacharacters(value)
    );
  });

  it('decodes every PromQL escape form and quote style', () => {
    expect(decodePromQLStringLiteral('"\\a\\b\\f\\n\\r\\t\\v\\\\\\"\\x41\\u00fc\\U0001F642\\101"')).toBe(
      '\u0007\b\f\n\r\t\v\\"Aü🙂A'
    );
    expect(decodePromQLStringLiteral("'it\\'s'")).toBe("it's");
    expect(decodePromQLStringLiteral('`raw \\n`')).toBe('raw \\n');
  });

  it.each(['"\\q"', '"\\x4"', '"open', 'bare'])('rejects %j', (literal) => {
    expect(() => decodePromQLStringLiteral(literal)).toThrow(SyntaxError);
  });
});
