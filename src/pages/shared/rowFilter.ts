import { t } from '@grafana/i18n';
import {
  type CustomTransformOperator,
  type DataFrame,
  DataTopic,
  type DataTransformerConfig,
  type Field,
  FieldType,
} from '@grafana/data';
import { type CustomTransformerDefinition, TextBoxVariable } from '@grafana/scenes';
import { map, type Observable } from 'rxjs';

/** The name of an inventory page's text filter variable (`var-filter` in the URL). */
export const ROW_FILTER_VARIABLE = 'filter';

/** A text box above an inventory: rows whose shown names contain the text stay (case-insensitive). */
export function rowFilterVariable(label: string, description: string): TextBoxVariable {
  return new TextBoxVariable({ name: ROW_FILTER_VARIABLE, label, description, value: '' });
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  // A label listed with all its values (a service's versions) is an array cell.
  return Array.isArray(value) ? value.join(' ') : String(value);
}

/**
 * The rows of each frame in which one of the named fields (by name or display name) contains `text` (case-insensitive, whitespace at the
 * ends ignored); every frame as it is for an empty text. The text is matched literally: `shop.` is a dot, not
 * any character, so nothing a user types can fail as a pattern.
 */
export function filterRows(frames: DataFrame[], text: string, fieldNames: string[]): DataFrame[] {
  const needle = text.trim().toLowerCase();
  if (!needle) {
    return frames;
  }
  return frames.map((frame) => {
    const searched = frame.fields.filter(
      (f) =>
        (fieldNames.includes(f.name) || fieldNames.includes(f.config.displayName ?? '')) &&
        (f.type === FieldType.string || f.type === FieldType.other)
    );
    const keep: number[] = [];
    for (let row = 0; row < frame.length; row++) {
      if (searched.some((f) => cellText(f.values[row]).toLowerCase().includes(needle))) {
        keep.push(row);
      }
    }
    const fields: Field[] = frame.fields.map((f) => ({
      ...f,
      values: keep.map((row) => f.values[row]),
      state: undefined,
    }));
    return { ...frame, fields, length: keep.length };
  });
}

/**
 * A transformation that applies the page's text filter to the named (shown) fields. It names the variable in
 * its state, so the transformer runs again when the text changes (scenes finds `$filter` there) without a query:
 * filtering happens in the browser, on the rows already loaded.
 */
export function rowFilterTransformation(fieldNames: string[]): CustomTransformerDefinition {
  const reference = `\${${ROW_FILTER_VARIABLE}}`;
  const definition = {
    topic: DataTopic.Series,
    variable: reference,
    operator: (context: { interpolate: (value: string) => string }) => (source: Observable<DataFrame[]>) =>
      source.pipe(
        map((frames) => {
          const text = context.interpolate(reference);
          // A page without the variable leaves the reference as it is: nothing to filter by.
          return filterRows(frames, text === reference ? '' : text, fieldNames);
        })
      ),
  };
  return definition as CustomTransformerDefinition;
}

/** The filter box of an inventory page (Services, Hosts, Containers), in the page's variable bar. */
export function inventoryFilterVariable(): TextBoxVariable {
  return rowFilterVariable(
    t('pages.fleet.filter.label', 'Filter'),
    t(
      'pages.fleet.filter.description',
      'Only the rows whose name contains this text; the table sorts by any column header.'
    )
  );
}

/**
 * Transformations as Grafana's transformDataFrame takes them: a definition's operator in its place, as scenes'
 * SceneDataTransformer passes it on (for tests and anything that runs a transformer's list itself).
 */
export function runnableTransformations(
  list: Array<DataTransformerConfig | CustomTransformerDefinition>
): Array<DataTransformerConfig | CustomTransformOperator> {
  return list.map((t) => (typeof t === 'object' && 'operator' in t ? t.operator : t));
}
