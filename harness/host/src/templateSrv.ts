import type { ScopedVars, TypedVariableModel } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
// Grafana core's own copy of scenes (the host's package.json pins the one the host's Grafana line ships, an older
// major than the plugin bundles): Grafana's TemplateSrv interpolates the plugin's scene objects with it.
import { sceneGraph, type SceneObject } from '@grafana/scenes';

declare global {
  interface Window {
    /** The active scene: set by scenes' EmbeddedScene (the plugin's pages, the host's dashboard) while active. */
    __grafanaSceneContext?: SceneObject;
  }
}

// Grafana's variable syntax: $var, [[var:fmt]], ${var.field:fmt}.
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;

/**
 * Grafana's TemplateSrv (public/app/features/templating/template_srv.ts) as scenes-based plugins meet it:
 * - replace(): with the scene object that made the request in the scoped vars (`__sceneObject`, since scenes 5.6
 *   a SafeSerializableSceneObject whose valueOf() is the object), Grafana's own scenes interpolate from it;
 *   without one, from the active scene (window.__grafanaSceneContext); without an active scene, only the scoped vars.
 * - getVariables(): the active scene's variables as Grafana's legacy models (getVariablesCompatibility), which query
 *   editors list as `$name`; none without an active scene (Explore).
 * - containsTemplate(): with an active scene, any variable reference; otherwise a scoped or known variable.
 */
export class HarnessTemplateSrv implements TemplateSrv {
  getVariables(): TypedVariableModel[] {
    const scene = window.__grafanaSceneContext;
    return scene ? variablesCompatibility(scene) : [];
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function, interpolations?: any[]): string {
    const sceneObject = (scopedVars as any)?.__sceneObject?.value?.valueOf();
    if (sceneObject) {
      return sceneGraph.interpolate(sceneObject, target, scopedVars, format as any, interpolations);
    }
    const scene = window.__grafanaSceneContext;
    if (scene?.isActive) {
      return sceneGraph.interpolate(scene, target, scopedVars, format as any, interpolations);
    }
    if (!target) {
      return target ?? '';
    }
    return target.replace(VARIABLE, (match, a, b, fmtB, c, fieldPath, fmtC) => {
      const name = a ?? b ?? c;
      const scoped = scopedVars?.[name];
      let value = scoped?.value;
      if (value !== undefined && value !== null && fieldPath) {
        value = fieldPath.split('.').reduce((v: any, key: string) => v?.[key], value);
      }
      const found = value !== undefined && value !== null;
      const fmt = fmtB ?? fmtC ?? format;
      const out = !found ? match : typeof fmt === 'function' ? fmt(value, { name }) : String(value);
      interpolations?.push({ match, variableName: name, fieldPath, format: fmt, value: out, found });
      return out;
    });
  }

  containsTemplate(target?: string): boolean {
    if (!target) {
      return false;
    }
    VARIABLE.lastIndex = 0;
    const match = VARIABLE.exec(target);
    if (!match) {
      return false;
    }
    if (window.__grafanaSceneContext?.isActive) {
      return true;
    }
    const name = match[1] ?? match[2] ?? match[4];
    return this.getVariables().some((v) => v.name === name);
  }

  updateTimeRange() {}
}

/** Grafana's getVariablesCompatibility: the scene's variables as the legacy models templateSrv.getVariables() returns. */
function variablesCompatibility(scene: SceneObject): TypedVariableModel[] {
  return sceneGraph.getVariables(scene).state.variables.map((variable) => {
    const state = variable.state as any;
    const common = {
      name: state.name,
      label: state.label,
      type: state.type,
      skipUrlSync: Boolean(state.skipUrlSync),
      hide: state.hide ?? 0,
      global: true,
      id: state.key ?? '',
      rootStateKey: state.key ?? null,
      state: 'Done',
      error: state.error ?? null,
      index: 0,
      description: state.description ?? null,
    };
    if (Array.isArray(state.options)) {
      // Query, custom and data source variables (scenes' MultiValueVariable).
      const selected = (value: unknown) =>
        Array.isArray(state.value) ? state.value.includes(value) : state.value === value;
      return {
        ...common,
        current: { value: state.value, text: state.text },
        options: state.options.map((o: any) => ({
          value: String(o.value),
          text: o.label,
          selected: selected(o.value),
        })),
        query: state.query ?? state.pluginId,
        datasource: state.datasource,
        multi: Boolean(state.isMulti),
        includeAll: Boolean(state.includeAll),
        allValue: state.allValue,
      } as unknown as TypedVariableModel;
    }
    return {
      ...common,
      current: { value: state.value, text: state.value },
      options: [],
      query: state.value,
    } as unknown as TypedVariableModel;
  });
}
