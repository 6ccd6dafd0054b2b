import { standardTransformers, standardTransformersRegistry, type TransformerRegistryItem } from '@grafana/data';

/**
 * For Jest: registers Grafana's standard transformations, as Grafana does at start-up, so a test can run a
 * panel's transformations on frames shaped like the backend's. Some are exported under two names; each id once.
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
