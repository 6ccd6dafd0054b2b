/**
 * How well the Builder holds the PromQL people write: every valid expression of a corpus goes Code -> Builder ->
 * Code exactly as the QueryEditor does it (parsePromQL -> model -> renderBuilderQuery, and the no-edit path that
 * keeps the text as written), and Prometheus' own parser (the Go oracle, ./oracle) judges the input and the
 * rendering: valid or not, and the same meaning or not.
 *
 *   npx ts-node --transpile-only scripts/promql-corpus/figures.ts
 *       the extracted corpus (scripts/promql-corpus/corpus/expressions.jsonl: go run ./cmd/extract first)
 *   npx ts-node --transpile-only scripts/promql-corpus/figures.ts --corpus constructs --check
 *       the small corpus written here (constructs.json) and the hand-written one of the property tests; exits 1
 *       when an accepted query changed meaning, rendered unparsable text or threw (CI runs this)
 *
 * Options: --mutate <n> [--seed <s>] adds n seeded token mutations of the corpus (testing/mutate.ts) ;
 * --corpus <file|constructs> (a file holds one expression a line: {"expr": …} as cmd/extract writes, a JSON
 * string, or plain PromQL) ; --markdown (tables for the README) ; --failures <file.jsonl>
 * (every changed, unparsable, exception and refusal, one JSON object a line) ; --top <n> refusal reasons (15).
 */
import { spawnSync } from 'child_process';
import { readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative, resolve } from 'path';

import { renderBuilderQuery } from '../../src/promql/builder';
import { INVALID_PROMQL, parsePromQL, type Unrepresentable } from '../../src/promql/parse';
import { CORPUS } from '../../src/promql/testing/corpus';
import { Generator, random } from '../../src/promql/testing/generate';
import { Mutator } from '../../src/promql/testing/mutate';
import { builderSourceOf, keepSourceText } from '../../src/datasource/components/QueryEditor/builderSource';
import type { PulseQuery } from '../../src/datasource/types';

const HERE = resolve(__dirname);

interface Verdict {
  valid: boolean;
  dialect?: string;
  error?: string;
  canonical?: string;
  substituted?: string;
  constructs?: string[];
}

interface Options {
  corpus: string;
  markdown: boolean;
  check: boolean;
  failures?: string;
  top: number;
  mutate: number;
  seed: number;
}

function options(argv: string[]): Options {
  const o: Options = {
    corpus: join(HERE, 'corpus', 'expressions.jsonl'),
    markdown: false,
    check: false,
    top: 15,
    mutate: 0,
    seed: 20261203,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) {
        throw new Error(`${flag} needs a value`);
      }
      return v;
    };
    switch (flag) {
      case '--corpus':
        o.corpus = value();
        break;
      case '--markdown':
        o.markdown = true;
        break;
      case '--check':
        o.check = true;
        break;
      case '--failures':
        o.failures = value();
        break;
      case '--top':
        o.top = Number(value());
        break;
      case '--mutate':
        o.mutate = Number(value());
        break;
      case '--seed':
        o.seed = Number(value());
        break;
      default:
        throw new Error(`unknown option ${flag} (see the comment at the top of figures.ts)`);
    }
  }
  return o;
}

/** The corpus' texts, each once, in the order first found, and how many there were with repeats. */
function readCorpus(path: string): { texts: string[]; found: number; sourceOf: Map<string, string> } {
  let all: Array<{ expr: string; source: string }>;
  if (path === 'constructs') {
    const written = JSON.parse(readFileSync(join(HERE, 'constructs.json'), 'utf8')) as {
      valid: string[];
      invalid: string[];
    };
    all = [
      ...[...written.valid, ...written.invalid].map((expr) => ({ expr, source: 'constructs.json' })),
      ...CORPUS.map((expr) => ({ expr, source: 'src/promql/testing/corpus.ts' })),
    ];
  } else {
    let raw: string;
    try {
      raw = readFileSync(path, 'utf8');
    } catch {
      throw new Error(`no corpus at ${path}: run (cd scripts/promql-corpus && go run ./cmd/extract) first`);
    }
    // One expression a line: {"expr": …, "source": …} objects (cmd/extract), JSON strings, or plain PromQL (a line
    // that does not read as one of the first two, such as `{__name__="up"}`, is PromQL).
    all = raw
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        let row: unknown;
        try {
          row = JSON.parse(line);
        } catch {
          return { expr: line, source: relative(process.cwd(), path) };
        }
        if (typeof row === 'string') {
          return { expr: row, source: relative(process.cwd(), path) };
        }
        const { expr, source } = (row ?? {}) as { expr?: unknown; source?: unknown };
        if (typeof expr !== 'string') {
          return { expr: line, source: relative(process.cwd(), path) };
        }
        return { expr, source: typeof source === 'string' ? source : relative(process.cwd(), path) };
      });
  }
  // Each text counts once, for the repository it was first found in.
  const sourceOf = new Map<string, string>();
  for (const { expr, source } of all) {
    if (!sourceOf.has(expr)) {
      sourceOf.set(expr, source.replace(/@.*$/, ''));
    }
  }
  return { texts: [...sourceOf.keys()], found: all.length, sourceOf };
}

/** Prometheus' verdict on each text, from the Go oracle (built once into the temp folder). */
function oracle(texts: string[]): Verdict[] {
  const bin = join(tmpdir(), 'pulse-promql-oracle');
  const build = spawnSync('go', ['build', '-o', bin, './cmd/oracle'], { cwd: HERE, encoding: 'utf8' });
  if (build.status !== 0) {
    throw new Error(`building the oracle failed (Go and the module proxy are needed): ${build.stderr}`);
  }
  const run = spawnSync(bin, [], {
    input: texts.map((t) => JSON.stringify(t)).join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (run.status !== 0) {
    throw new Error(`the oracle failed: ${run.stderr}`);
  }
  const verdicts = run.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Verdict);
  if (verdicts.length !== texts.length) {
    throw new Error(`the oracle answered ${verdicts.length} of ${texts.length} texts`);
  }
  return verdicts;
}

type Outcome =
  | { kind: 'accepted'; rendered: string; kept: boolean; ms: number }
  | { kind: 'refused'; error: Unrepresentable; ms: number }
  | { kind: 'exception'; message: string; ms: number };

/** Code -> Builder -> Code as the QueryEditor does it; the time is that of parsing and rendering. */
function roundTrip(text: string): Outcome {
  const start = process.hrtime.bigint();
  const ms = () => Number(process.hrtime.bigint() - start) / 1e6;
  try {
    const parsed = parsePromQL(text);
    if (!parsed.ok) {
      return parsed.error.code === 'internal'
        ? { kind: 'exception', message: parsed.error.what, ms: ms() }
        : { kind: 'refused', error: parsed.error, ms: ms() };
    }
    const rendered = renderBuilderQuery(parsed.query);
    // The time of the switch itself (parse and render); the checks below are not the editor's work.
    const elapsed = ms();
    // No edit in the Builder: the QueryEditor keeps the source text, and a saved query reopens with it.
    const query: PulseQuery = { refId: 'A', expr: text, editorMode: 'builder', builder: parsed.query };
    const source = { text, rendered };
    const afterBuilder = keepSourceText({ ...query, expr: rendered }, source).expr;
    const reopened = builderSourceOf(query);
    const kept = afterBuilder === text && (text === rendered || reopened?.text === text);
    return { kind: 'accepted', rendered, kept, ms: elapsed };
  } catch (e) {
    return { kind: 'exception', message: e instanceof Error ? e.message : String(e), ms: ms() };
  }
}

const pct = (n: number, d: number) => (d === 0 ? '–' : `${((100 * n) / d).toFixed(1)} %`);

function table(markdown: boolean, head: string[], rows: Array<Array<string | number>>): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  if (markdown) {
    const line = (r: string[]) => `| ${r.join(' | ')} |`;
    return [line(head), line(head.map(() => '---')), ...cells.slice(1).map(line)].join('\n');
  }
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '))
    .join('\n');
}

/** A refusal's reason without the specifics, so that the same cause counts once. */
function reasonKey(e: Unrepresentable): string {
  return `${e.code}: ${e.what
    .replace(/`[^`]*`/g, '`…`')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\d+/g, 'N')}`;
}

function main() {
  const o = options(process.argv.slice(2));
  const corpus = readCorpus(o.corpus);
  const { found } = corpus;
  let { texts } = corpus;
  if (o.mutate > 0) {
    // Token mutations of the corpus (src/promql/testing/mutate.ts), judged by Prometheus' parser too.
    const gen = new Generator(random(o.seed));
    const mutator = new Mutator(gen);
    const mutations = Array.from({ length: o.mutate }, () => mutator.mutate(gen.pick(corpus.texts)));
    texts = [...new Set([...texts, ...mutations])];
    console.log(`${o.mutate} mutations of the corpus, seed ${o.seed}`);
  }
  const verdicts = oracle(texts);
  const failures: object[] = [];
  const valid: number[] = [];
  verdicts.forEach((v, i) => v.valid && valid.push(i));

  // Warm up (JIT, the grammar's tables) so that the times are those of an editor in use.
  texts.slice(0, 200).forEach(roundTrip);
  const outcomes = new Map<number, Outcome>();
  let invalidAccepted = 0;
  for (let i = 0; i < texts.length; i++) {
    const outcome = roundTrip(texts[i]);
    if (verdicts[i].valid) {
      outcomes.set(i, outcome);
    } else if (outcome.kind === 'exception') {
      failures.push({ problem: 'exception', input: texts[i], message: outcome.message });
      outcomes.set(i, outcome);
    } else if (outcome.kind === 'accepted') {
      invalidAccepted++;
      failures.push({
        problem: 'invalid accepted',
        input: texts[i],
        prometheus: verdicts[i].error,
        rendered: outcome.rendered,
      });
    }
  }
  const accepted = valid.filter((i) => outcomes.get(i)!.kind === 'accepted');
  const rendered = accepted.map((i) => (outcomes.get(i) as Extract<Outcome, { kind: 'accepted' }>).rendered);
  const renderedVerdicts = oracle(rendered);

  let changed = 0;
  let unparsable = 0;
  let notKept = 0;
  accepted.forEach((i, k) => {
    const out = outcomes.get(i) as Extract<Outcome, { kind: 'accepted' }>;
    const after = renderedVerdicts[k];
    if (!out.kept) {
      notKept++;
      failures.push({ problem: 'text not kept', input: texts[i] });
    }
    if (!after.valid) {
      unparsable++;
      failures.push({ problem: 'unparsable', input: texts[i], rendered: out.rendered, prometheus: after.error });
    } else if (after.canonical !== verdicts[i].canonical) {
      changed++;
      failures.push({
        problem: 'changed',
        input: texts[i],
        rendered: out.rendered,
        meant: verdicts[i].canonical,
        means: after.canonical,
      });
    }
  });
  const exceptions = [...outcomes.values()].filter((x) => x.kind === 'exception').length;
  const validExceptions = valid.filter((i) => outcomes.get(i)!.kind === 'exception');
  validExceptions.forEach((i) =>
    failures.push({ problem: 'exception', input: texts[i], message: (outcomes.get(i) as { message: string }).message })
  );

  // Per construct: how many valid expressions use it, how many of those the Builder holds.
  const per = new Map<string, { valid: number; accepted: number }>();
  for (const i of valid) {
    for (const c of verdicts[i].constructs ?? []) {
      const row = per.get(c) ?? { valid: 0, accepted: 0 };
      row.valid++;
      if (outcomes.get(i)!.kind === 'accepted') {
        row.accepted++;
      }
      per.set(c, row);
    }
  }
  const reasons = new Map<string, { count: number; example: string; reason: string }>();
  for (const i of valid) {
    const out = outcomes.get(i)!;
    if (out.kind === 'refused') {
      const key = reasonKey(out.error);
      const row = reasons.get(key) ?? { count: 0, example: texts[i], reason: `${out.error.code}: ${out.error.what}` };
      row.count++;
      reasons.set(key, row);
      failures.push({ problem: 'refused', input: texts[i], code: out.error.code, reason: out.error.reason });
    }
  }
  const times = valid.map((i) => outcomes.get(i)!.ms).sort((a, b) => a - b);
  const mean = times.reduce((s, t) => s + t, 0) / Math.max(1, times.length);
  const p99 = times[Math.min(times.length - 1, Math.floor(times.length * 0.99))] ?? 0;
  const median = times[Math.floor(times.length / 2)] ?? 0;
  const dialect2 = valid.filter((i) => verdicts[i].dialect === '2').length;
  // Valid PromQL the Builder calls invalid ("cannot parse", "refused by Prometheus"): a wrong reason.
  const calledInvalid = valid.filter((i) => {
    const x = outcomes.get(i)!;
    return x.kind === 'refused' && INVALID_PROMQL.has(x.error.code);
  }).length;

  const out: string[] = [];
  const title = (s: string) => out.push('', o.markdown ? `**${s}**` : `== ${s}`, '');
  title(
    `Code → Builder → Code on ${o.corpus === 'constructs' ? 'the constructs corpus' : relative(process.cwd(), o.corpus)}`
  );
  out.push(
    table(
      o.markdown,
      ['figure', 'value'],
      [
        ['expressions found', found],
        ['different expressions', texts.length],
        ['valid for Prometheus (2 or 3)', `${valid.length}${dialect2 ? ` (${dialect2} Prometheus 2 only)` : ''}`],
        ['accepted by the Builder', `${accepted.length} (${pct(accepted.length, valid.length)})`],
        ['changed in meaning', changed],
        ['rendered text Prometheus cannot parse', unparsable],
        ['exceptions', exceptions],
        ['text not kept byte for byte without an edit', notKept],
        ['invalid expressions accepted', invalidAccepted],
        ['valid expressions refused as invalid', calledInvalid],
        ['ms per expression (median / mean / p99)', `${median.toFixed(3)} / ${mean.toFixed(3)} / ${p99.toFixed(3)}`],
      ]
    )
  );
  title('Acceptance per construct (valid expressions using it)');
  out.push(
    table(
      o.markdown,
      ['construct', 'valid', 'accepted', '%'],
      [...per.entries()]
        .sort((a, b) => b[1].valid - a[1].valid || a[0].localeCompare(b[0]))
        .map(([c, r]) => [c, r.valid, r.accepted, pct(r.accepted, r.valid)])
    )
  );
  if (!o.markdown || new Set(corpus.sourceOf.values()).size > 1) {
    const bySource = new Map<string, { valid: number; accepted: number }>();
    for (const i of valid) {
      const source = corpus.sourceOf.get(texts[i]) ?? 'mutations';
      const row = bySource.get(source) ?? { valid: 0, accepted: 0 };
      row.valid++;
      if (outcomes.get(i)!.kind === 'accepted') {
        row.accepted++;
      }
      bySource.set(source, row);
    }
    title('Acceptance per source (each different expression counted for the first source it is in)');
    out.push(
      table(
        o.markdown,
        ['source', 'valid', 'accepted', '%'],
        [...bySource.entries()]
          .sort((a, b) => b[1].valid - a[1].valid)
          .map(([source, r]) => [source, r.valid, r.accepted, pct(r.accepted, r.valid)])
      )
    );
  }
  title(`Top ${o.top} refusal reasons (valid expressions)`);
  out.push(
    table(
      o.markdown,
      ['count', "reason (first example's words)", 'example'],
      [...reasons.values()]
        .sort((a, b) => b.count - a.count)
        .slice(0, o.top)
        .map((r) => [
          r.count,
          r.reason.replace(/\|/g, '\\|'),
          '`' + r.example.replace(/\s+/g, ' ').slice(0, 70).replace(/\|/g, '\\|') + '`',
        ])
    )
  );
  console.log(out.join('\n'));
  if (o.failures) {
    writeFileSync(o.failures, failures.map((f) => JSON.stringify(f)).join('\n') + '\n');
    console.log(`\n${failures.length} rows in ${o.failures}`);
  }
  if (o.check && changed + unparsable + exceptions + invalidAccepted + notKept > 0) {
    for (const f of failures.filter((x) => (x as { problem: string }).problem !== 'refused')) {
      console.error(JSON.stringify(f));
    }
    console.error('\nfigures --check: the Builder changed, broke or lost a query (above)');
    process.exit(1);
  }
}

try {
  main();
} catch (e) {
  console.error(`figures: ${e instanceof Error ? e.message : e}`);
  process.exit(2);
}
