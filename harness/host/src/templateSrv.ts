import type { ScopedVars, TypedVariableModel } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
import { sceneGraph } from '@grafana/scenes';

// Grafana's TemplateSrv, as far as scenes-based plugins use it: when the scoped vars carry the scene object that
// made the request, Grafana interpolates through its own copy of scenes (sceneGraph.interpolate) — the host does
// the same with the scenes version the plugin builds against. Otherwise plain $var / ${var} from scopedVars.
export class HarnessTemplateSrv implements TemplateSrv {
  getVariables(): TypedVariableModel[] {
    return [];
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function, interpolations?: any[]): string {
    if (!target) {
      return target ?? '';
    }
    // As Grafana's TemplateSrv: since scenes 5.6 the scoped var is a SafeSerializableSceneObject, whose value is
    // itself and whose valueOf() is the scene object.
    const sceneObject = (scopedVars as any)?.__sceneObject?.value?.valueOf();
    if (sceneObject) {
      return sceneGraph.interpolate(sceneObject, target, scopedVars, format as any, interpolations);
    }
    return target.replace(/\$(\w+)|\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]/g, (match, a, b, c) => {
      const v = scopedVars?.[a ?? b ?? c];
      return v ? String(v.value) : match;
    });
  }

  containsTemplate(target?: string): boolean {
    return !!target && /\$\w+|\$\{\w+|\[\[\w+\]\]/.test(target);
  }

  updateTimeRange() {}
}
