import { standardTransformers, standardTransformersRegistry, type DataTransformerInfo } from '@grafana/data';

/**
 * Grafana registers its standard transformations (organize, merge, joinByField, …) at start-up; panels' and
 * scenes' transformations are looked up there by id. The host registers the same ones from @grafana/data.
 *
 * The registry item's `transformation` changed between the two Grafana lines the hosts run: 12.4 reads the
 * transformer from it (`transformation.operator`), 13.2 calls it (`transformation()` resolves to the transformer).
 * One source serves both hosts, so it is a function that resolves to the transformer and carries its fields.
 */
function registryTransformation(transformer: DataTransformerInfo) {
  const resolve = () => Promise.resolve(transformer);
  for (const [key, value] of Object.entries(transformer)) {
    Object.defineProperty(resolve, key, { value, enumerable: true });
  }
  return resolve;
}

export function registerStandardTransformers() {
  const byId = new Map(Object.values(standardTransformers).map((transformer) => [transformer.id, transformer]));
  standardTransformersRegistry.setInit(() =>
    [...byId.values()].map((transformer) => ({
      id: transformer.id,
      name: transformer.name,
      description: transformer.description,
      transformation: registryTransformation(transformer) as any,
      editor: () => null,
      imageDark: '',
      imageLight: '',
    }))
  );
}
