import {
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
    ['bell\u0007', 'bell\\x07'],
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
