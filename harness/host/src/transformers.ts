import { standardTransformers, standardTransformersRegistry, type TransformerRegistryItem } from '@grafana/data';

/**
 * Grafana registers its standard transformations (organize, merge, joinByField, …) at start-up; panels' and
 * scenes' transformations are looked up there by id. The host registers the same ones from @grafana/data.
 */
export function registerStandardTransformers() {
  const byId = new Map(Object.values(standardTransformers).map((transformer) => [transformer.id, transformer]));
  standardTransformersRegistry.setInit(() =>
    [...byId.values()].map((transformer): TransformerRegistryItem => ({
      id: transformer.id,
      name: transformer.name,
      description: transformer.description,
      transformation: transformer,
      editor: () => null,
      imageDark: '',
      imageLight: '',
    }))
  );
}
