import {
  dataLinksOverrideProcessor,
  displayNameOverrideProcessor,
  FieldConfigProperty,
  identityOverrideProcessor,
  numberOverrideProcessor,
  standardFieldConfigEditorRegistry,
  stringOverrideProcessor,
  thresholdsOverrideProcessor,
  unitOverrideProcessor,
  valueMappingsOverrideProcessor,
  type FieldConfigPropertyItem,
} from '@grafana/data';

// Grafana registers its standard field options (unit, decimals, min/max, thresholds, value mappings, data links,
// no value, …) at start-up; a panel plugin's useFieldConfig() takes them from that registry, and applyFieldOverrides
// only applies the options a panel has registered — so without them the stand-ins would show raw numbers and no
// cell links. Grafana's option editors live in its own app code; the host registers the same options with the
// processors @grafana/data exports and no editors (nobody edits panels here).
const standardOptions: Array<[FieldConfigProperty, (value: any, context: any, settings?: any) => any]> = [
  [FieldConfigProperty.DisplayName, displayNameOverrideProcessor],
  [FieldConfigProperty.Unit, unitOverrideProcessor],
  [FieldConfigProperty.Min, numberOverrideProcessor],
  [FieldConfigProperty.Max, numberOverrideProcessor],
  [FieldConfigProperty.FieldMinMax, identityOverrideProcessor],
  [FieldConfigProperty.Decimals, numberOverrideProcessor],
  [FieldConfigProperty.Thresholds, thresholdsOverrideProcessor],
  [FieldConfigProperty.Mappings, valueMappingsOverrideProcessor],
  [FieldConfigProperty.Color, identityOverrideProcessor],
  [FieldConfigProperty.Links, dataLinksOverrideProcessor],
  [FieldConfigProperty.NoValue, stringOverrideProcessor],
];

export function registerStandardFieldConfig() {
  standardFieldConfigEditorRegistry.setInit(() =>
    standardOptions.map(([id, process]): FieldConfigPropertyItem => ({
      id,
      path: id,
      name: id,
      process,
      shouldApply: () => true,
      editor: () => null,
      override: () => null,
      settings: {},
      category: ['Standard options'],
    }))
  );
}
