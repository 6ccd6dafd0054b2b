/**
 * Code -> Builder -> Code as properties, over the hand-written corpus, random expressions of a small grammar and
 * random mutations of both (src/promql/testing/), with a fixed seed so every run checks the same inputs
 * (PULSE_PROMQL_SEED and PULSE_PROMQL_COUNT explore further: `PULSE_PROMQL_COUNT=100000 npx jest properties`).
 *
 * For every input: nothing throws; a refusal says where, inside the text. For every accepted input: the model
 * renders; the rendering is PromQL the grammar reads without error; it reads back to the same model (a fixed
 * point); and it means what the input meant (the same canonical form, computed from the lezer trees).
 * For every model the Builder could hold after an edit (a field of an accepted model replaced by arbitrary
 * text): either the Builder names a problem, or it renders PromQL that reads back to the same meaning.
 */
import { isDeepStrictEqual } from 'util';

import { type BuilderQuery, builderProblems, renderBuilderQuery } from './builder';
import { parsePromQL } from './parse';
import { canonical, lezerError } from './testing/canonical';
import { CORPUS } from './testing/corpus';
import { Generator, random } from './testing/generate';

const SEED = Number(process.env.PULSE_PROMQL_SEED ?? 20240611);
const COUNT = Number(process.env.PULSE_PROMQL_COUNT ?? 6000);

interface Failure {
  input: string;
  problem: string;
}

/** Checks one input; returns what went wrong, or undefined. */
function check(input: string): string | undefined {
  let result;
  try {
    result = parsePromQL(input);
  } catch (e) {
    return `parsePromQL threw ${e}`;
  }
  if (!result.ok) {
    const { error } = result;
    if (error.code === 'internal') {
      return `internal error: ${error.what}`;
    }
    if (!(error.from >= 0 && error.from <= error.to && error.to <= input.length)) {
      return `refusal outside the text: ${error.from}-${error.to}`;
    }
    return undefined;
  }
  const model = result.query;
  let rendered: string;
  try {
    rendered = renderBuilderQuery(model);
  } catch (e) {
    return `render threw ${e}`;
  }
  if (lezerError(rendered)) {
    return `renders ${JSON.stringify(rendered)}, which does not parse`;
  }
  const again = parsePromQL(rendered);
  if (!again.ok) {
    return `renders ${JSON.stringify(rendered)}, which is refused: ${again.error.reason}`;
  }
  if (!isDeepStrictEqual(again.query, model)) {
    return `renders ${JSON.stringify(rendered)}, which reads as another model: ${JSON.stringify(again.query)} instead of ${JSON.stringify(model)}`;
  }
  const meant = canonical(input);
  const means = canonical(rendered);
  if (meant !== means) {
    return `renders ${JSON.stringify(rendered)}, which means ${means} instead of ${meant}`;
  }
  return undefined;
}

// Text a user may type into any Builder field.
const FIELD_TEXT = [
  '',
  ' ',
  'x',
  'up',
  'offset',
  'sum',
  'Inf',
  'inf',
  'NaN',
  'bool',
  'on',
  'a.b',
  'a b',
  '日本',
  '"',
  "'",
  '\\',
  '{',
  '}',
  '(',
  ')',
  '#',
  '$x',
  '${x}',
  '[[x]]',
  '$__rate_interval',
  '$',
  '5m',
  '5m5m',
  '1h30m',
  '0s',
  '300',
  '0',
  '-1',
  '010',
  '0x1F',
  '1_000',
  '1e3',
  '1e400',
  '.5',
  'abc',
  '5 m',
  '__name__',
  'x{a="b"}',
  'x) or vector(1',
];

function copyOf<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map(copyOf) as T;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyOf(v)])) as T;
  }
  return value;
}

/** Every string and number of a model, replaceable (the Builder edits them through text fields). */
function editable(query: BuilderQuery, replace: (value: string) => string): BuilderQuery[] {
  const variants: BuilderQuery[] = [];
  const clone = () => copyOf(query);
  let copy = clone();
  copy.metric = replace(copy.metric);
  variants.push(copy);
  query.matchers.forEach((_, i) => {
    for (const field of ['label', 'value'] as const) {
      copy = clone();
      copy.matchers[i][field] = replace(copy.matchers[i][field]);
      variants.push(copy);
    }
  });
  // The selector's offset and @ (a text field each), set or replaced; vector()'s number.
  for (const field of ['offset', 'at'] as const) {
    copy = clone();
    copy[field] = replace(copy[field] ?? '');
    variants.push(copy);
  }
  if (query.source?.kind === 'vector') {
    copy = clone();
    copy.source = { kind: 'vector', value: replace(String(query.source.value)) };
    variants.push(copy);
  }
  query.operations.forEach((op, i) => {
    // Each parameter of a function, and a subquery's step, offset and @.
    const params = op.kind === 'range' || op.kind === 'function' ? (op.params ?? []) : [];
    params.forEach((_, p) => {
      copy = clone();
      const target = copy.operations[i] as typeof op & { params: Array<string | number> };
      target.params[p] = replace(String(target.params[p]));
      variants.push(copy);
    });
    if (op.kind === 'range' && op.subquery) {
      for (const field of ['step', 'offset', 'at'] as const) {
        copy = clone();
        const target = copy.operations[i] as typeof op;
        target.subquery = { ...target.subquery!, [field]: replace(target.subquery![field] ?? '') };
        variants.push(copy);
      }
    }
    copy = clone();
    const target = copy.operations[i];
    switch (target.kind) {
      case 'range':
        target.range = replace(target.range);
        break;
      case 'countValues':
        target.label = replace(target.label);
        break;
      case 'ranking':
        target.k = replace(String(target.k));
        break;
      case 'histogramQuantile':
        target.quantile = replace(String(target.quantile));
        break;
      case 'binaryScalar':
        target.scalar = replace(String(target.scalar));
        break;
      case 'aggregation':
        target.grouping = { mode: target.grouping?.mode ?? 'by', labels: [replace('')] };
        break;
      case 'binaryQuery':
        target.matching = { mode: 'on', labels: [replace('')] };
        break;
    }
    if (op.kind !== 'binaryQuery' || copy.operations[i].kind === 'binaryQuery') {
      variants.push(copy);
    }
  });
  return variants;
}

/** A model after an edit: renders PromQL that reads back with the same meaning, or names a problem. */
function checkEdited(model: BuilderQuery): string | undefined {
  if (builderProblems(model).length > 0) {
    return undefined;
  }
  let rendered: string;
  try {
    rendered = renderBuilderQuery(model);
  } catch (e) {
    return `render threw ${e}`;
  }
  if (lezerError(rendered)) {
    return `renders ${JSON.stringify(rendered)}, which does not parse`;
  }
  const again = parsePromQL(rendered);
  if (!again.ok) {
    return again.error.code === 'internal' || !refusedForCause(again.error.code)
      ? `renders ${JSON.stringify(rendered)}, which is refused: ${again.error.reason}`
      : undefined;
  }
  const back = renderBuilderQuery(again.query);
  return canonical(back) === canonical(rendered) ? undefined : `renders ${rendered}, read back as ${back}`;
}

// What a user can type that the Builder renders as written but Prometheus refuses (an invalid regex is kept).
const refusedForCause = (code: string) => ['selector-empty', 'variable-name', 'variable'].includes(code);

describe('Code -> Builder -> Code properties', () => {
  const gen = new Generator(random(SEED));
  const inputs = [...CORPUS];
  const generated = Math.floor(COUNT / 3);
  for (let i = 0; i < generated; i++) {
    inputs.push(gen.expr());
  }
  while (inputs.length < CORPUS.length + COUNT) {
    inputs.push(gen.mutate(gen.chance(0.5) ? gen.pick(CORPUS) : gen.pick(inputs)));
  }

  it(`hold for the corpus and ${COUNT} generated inputs (seed ${SEED})`, () => {
    const failures: Failure[] = [];
    let accepted = 0;
    for (const input of inputs) {
      const problem = check(input);
      if (problem) {
        failures.push({ input, problem });
      } else if (parsePromQL(input).ok) {
        accepted += 1;
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    // The generator must exercise the accepted path, not only refusals.
    expect(accepted).toBeGreaterThan(inputs.length / 5);
  });

  it('hold for models edited with any text (seed ' + SEED + ')', () => {
    const edits = new Generator(random(SEED + 1));
    const failures: Failure[] = [];
    for (const input of inputs.slice(0, 2000)) {
      const result = parsePromQL(input);
      if (!result.ok) {
        continue;
      }
      for (const model of editable(result.query, () => edits.pick(FIELD_TEXT))) {
        const problem = checkEdited(model);
        if (problem) {
          failures.push({ input: JSON.stringify(model), problem });
        }
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });
});
