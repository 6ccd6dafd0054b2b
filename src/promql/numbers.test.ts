import { builderNumber, canonicalNumber, isSigned, promqlNumberValue } from './numbers';

describe('promqlNumberValue: as Prometheus reads a literal (ParseInt base 0, then ParseFloat)', () => {
  it.each<[string, number | undefined]>([
    ['0', 0],
    ['10', 10],
    ['010', 8],
    ['0755', 493],
    ['08', 8],
    ['0_10', 8],
    ['00', 0],
    ['-010', -8],
    ['+010', 8],
    ['- 1', -1],
    ['0x1F', 31],
    ['0xff', 255],
    ['0x7FFFFFFFFFFFFFFF', 9223372036854775807],
    ['0xFFFFFFFFFFFFFFFFFF', undefined],
    ['1_000', 1000],
    ['1_000.5', 1000.5],
    ['1e3', 1000],
    ['1E-3', 0.001],
    ['2.5e+2', 250],
    ['.5', 0.5],
    ['1.0', 1],
    ['99999999999999999999', 1e20],
    ['1e400', undefined],
    ['-1e400', undefined],
    ['1e-400', 0],
    ['Inf', Infinity],
    ['inf', Infinity],
    ['-Inf', -Infinity],
    ['NaN', NaN],
    ['nan', NaN],
    ['5m', undefined],
    ['1h30m', undefined],
    ['abc', undefined],
    ['', undefined],
    ['1__0', undefined],
    ['$x', undefined],
  ])('%j -> %p', (text, value) => {
    expect(promqlNumberValue(text)).toBe(value);
  });
});

describe('builderNumber', () => {
  it.each<[string, number | string | undefined]>([
    ['0.95', 0.95],
    [' 5 ', 5],
    ['-1', -1],
    ['- 1', -1],
    ['010', '010'],
    ['0x1F', '0x1F'],
    ['1_000', '1_000'],
    ['1e3', '1e3'],
    ['Inf', Infinity],
    ['inf', 'inf'],
    ['NaN', NaN],
    ['+1', '+1'],
    ['1e400', undefined],
    ['abc', undefined],
    ['$x', undefined],
  ])('%j -> %p', (text, value) => {
    expect(builderNumber(text)).toBe(value);
  });
});

describe('canonicalNumber and isSigned', () => {
  it('writes numbers as PromQL reads them back', () => {
    expect([0.95, -1, Infinity, -Infinity, NaN, 1e21].map(canonicalNumber)).toEqual([
      '0.95',
      '-1',
      'Inf',
      '-Inf',
      'NaN',
      '1e+21',
    ]);
  });

  it('tells a signed literal or a negative value', () => {
    expect([-1, 1, '-010', '+1', '010', '$x'].map(isSigned)).toEqual([true, false, true, true, false, false]);
  });
});
