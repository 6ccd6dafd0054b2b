import path from 'path';
import ts from 'typescript';

/**
 * The option shapes Grafana's core panels read, from the panels' published schemas in `@grafana/schema`
 * (`raw/composable/<panel>/panelcfg/x/types.gen.d.ts`: `Options` and, where the panel has one, `FieldConfig`),
 * read with the TypeScript compiler so inherited and nested properties count. For tests.
 */
export interface SchemaNode {
  /** Named properties and their shapes; `undefined` where the value is not an object (a number, a string, …). */
  properties: Map<string, SchemaNode | undefined>;
  /** True where any key is allowed (an index signature, `Record<string, …>`, `any`/`unknown`). */
  open: boolean;
}

export interface PanelSchema {
  version: string;
  options: SchemaNode;
  /** The panel's `fieldConfig.defaults.custom`; a panel without one takes none. */
  custom: SchemaNode;
}

const SCHEMA_DIR = path.join(
  path.dirname(require.resolve('@grafana/schema/package.json')),
  'dist/types/raw/composable'
);

export function schemaVersion(): string {
  return require('@grafana/schema/package.json').version;
}

const EMPTY: SchemaNode = { properties: new Map(), open: false };

export function readPanelSchemas(panelIds: string[]): Map<string, PanelSchema> {
  const files = new Map(panelIds.map((id) => [id, path.join(SCHEMA_DIR, id, 'panelcfg/x/types.gen.d.ts')]));
  const program = ts.createProgram([...files.values()], {
    noEmit: true,
    skipLibCheck: true,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    // Only the schema and what it imports: no @types/* packages (ten times the files, and the time).
    types: [],
    lib: ['lib.es2020.d.ts'],
  });
  const checker = program.getTypeChecker();
  const result = new Map<string, PanelSchema>();
  for (const [id, file] of files) {
    const source = program.getSourceFile(file);
    if (!source) {
      throw new Error(`no published schema for the ${id} panel at ${file}`);
    }
    const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!);
    const shape = (name: string) => {
      const symbol = exported.find((s) => s.name === name);
      return (symbol && nodeOf(checker, checker.getDeclaredTypeOfSymbol(symbol), 0)) || EMPTY;
    };
    result.set(id, { version: schemaVersion(), options: shape('Options'), custom: shape('FieldConfig') });
  }
  return result;
}

const MAX_DEPTH = 6;

function nodeOf(checker: ts.TypeChecker, type: ts.Type, depth: number): SchemaNode | undefined {
  const members = (type.isUnion() ? type.types : [type]).filter(
    (t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null))
  );
  if (members.some((t) => t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) {
    return { properties: new Map(), open: true };
  }
  const objects = members.filter((t) => t.flags & ts.TypeFlags.Object);
  if (objects.length === 0) {
    return undefined;
  }
  const node: SchemaNode = { properties: new Map(), open: false };
  for (const object of objects) {
    // An array's elements: options such as sortBy hold objects whose keys count too.
    const element = checker.isArrayType(object) ? checker.getTypeArguments(object as ts.TypeReference)[0] : undefined;
    const shape = element ? element : object;
    if (element && !(element.flags & ts.TypeFlags.Object)) {
      return undefined;
    }
    if (checker.getIndexInfosOfType(shape).length > 0) {
      node.open = true;
    }
    for (const property of checker.getPropertiesOfType(shape)) {
      const propertyType = checker.getTypeOfSymbol(property);
      node.properties.set(property.name, depth < MAX_DEPTH ? nodeOf(checker, propertyType, depth + 1) : undefined);
    }
  }
  return node;
}

/** The key paths of a value that the schema node does not have, e.g. `legend.placemnt`. */
export function unknownKeys(value: unknown, node: SchemaNode | undefined, at = ''): string[] {
  if (value === null || typeof value !== 'object' || node === undefined || node.open) {
    return [];
  }
  const entries = Array.isArray(value)
    ? value.filter((v) => v !== null && typeof v === 'object').flatMap((v) => Object.entries(v))
    : Object.entries(value);
  return entries.flatMap(([key, v]) => {
    const here = at ? `${at}.${key}` : key;
    if (!node.properties.has(key)) {
      return [here];
    }
    return unknownKeys(v, node.properties.get(key), here);
  });
}
