/**
 * PromQL number literals as Prometheus reads them. Its parser tries Go's `strconv.ParseInt(s, 0, 64)` first and
 * `strconv.ParseFloat(s, 64)` after, so an integer with a leading zero is octal (`010` is 8, `08` is 8 too since
 * it is no octal number), `0x1F` is hexadecimal, underscores separate digits (`1_000`), `Inf` and `NaN` are
 * case-insensitive, and a value beyond float64 (`1e400`) is an error, not infinity.
 */

const INT64_MAX = (BigInt(1) << BigInt(63)) - BigInt(1);

const SIGN = /^([-+])\s*/;
const HEX = /^0[xX][0-9a-fA-F]+$/;
const INTEGER = /^\d+(_\d+)*$/;
const OCTAL = /^0[0-7]+$/;
const FLOAT = /^(?=\.?\d)(\d+(_\d+)*)?(\.\d+(_\d+)*)?([eE][-+]?\d+(_\d+)*)?$/;

function unsignedValue(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (lower === 'inf') {
    return Infinity;
  }
  if (lower === 'nan') {
    return NaN;
  }
  if (HEX.test(text)) {
    // ParseInt or nothing: Go's ParseFloat reads hexadecimal only with a p exponent, which PromQL does not lex.
    const value = BigInt(text);
    return value <= INT64_MAX ? Number(value) : undefined;
  }
  if (INTEGER.test(text)) {
    const digits = text.replace(/_/g, '');
    if (OCTAL.test(digits)) {
      const value = BigInt(`0o${digits.slice(1)}`);
      if (value <= INT64_MAX) {
        return Number(value);
      }
    }
    // A decimal integer, or what ParseInt refused (`08`, beyond int64): ParseFloat reads it as decimal.
    const value = Number(digits);
    return Number.isFinite(value) ? value : undefined;
  }
  if (FLOAT.test(text)) {
    const value = Number(text.replace(/_/g, ''));
    return Number.isFinite(value) ? value : undefined;
  }
  return undefined;
}

/**
 * The value of a PromQL number literal, optionally signed (`-010` is -8), or undefined when it is none or
 * Prometheus refuses it (`1e400`, a hexadecimal number beyond int64, a duration such as `5m`).
 */
export function promqlNumberValue(text: string): number | undefined {
  const sign = SIGN.exec(text);
  const value = unsignedValue(sign ? text.slice(sign[0].length) : text);
  return value !== undefined && sign?.[1] === '-' ? -value : value;
}

/** The literal as Pulse writes a number it computed: `0.95`, `-1`, `Inf`, `NaN`. */
export function canonicalNumber(value: number): string {
  if (Number.isNaN(value)) {
    return 'NaN';
  }
  if (!Number.isFinite(value)) {
    return value > 0 ? 'Inf' : '-Inf';
  }
  return String(value);
}

/**
 * A number for the Builder model: the value when the literal is spelled as Pulse would write it (`0.95`), else the
 * literal itself, so that its spelling and value survive (`010`, `0x1F`, `1_000`, `1e3`, `inf`); undefined when
 * the text is no PromQL number.
 */
export function builderNumber(text: string): number | string | undefined {
  const literal = text.trim().replace(SIGN, '$1');
  const value = promqlNumberValue(literal);
  if (value === undefined) {
    return undefined;
  }
  return canonicalNumber(value) === literal ? value : literal;
}

/** True when the literal starts with a sign, or the number is negative (for `(-1) ^ x`, see builder.ts). */
export function isSigned(value: number | string): boolean {
  return typeof value === 'string' ? SIGN.test(value) : value < 0 || Object.is(value, -0);
}
