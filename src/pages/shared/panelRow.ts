import { SceneFlexItem, SceneFlexLayout, type SceneObject } from '@grafana/scenes';

/**
 * A row of panels that wraps on narrow screens. Each panel carries its own height: a wrapping row has no height to
 * share out, and panels in it without one collapse to nothing.
 */
export function panelRow(panels: SceneObject[], { height, minWidth }: { height: number; minWidth: number }) {
  return new SceneFlexItem({
    body: new SceneFlexLayout({
      direction: 'row',
      wrap: 'wrap',
      children: panels.map((body) => new SceneFlexItem({ minWidth, height, body })),
    }),
  });
}
