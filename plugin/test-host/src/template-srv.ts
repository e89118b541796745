/**
 * TEST DOUBLE of Grafana's TemplateSrv (public/app/features/templating/template_srv.ts), reduced
 * to what a scenes app reaches: when the scoped vars carry `__sceneObject` (SceneQueryRunner puts
 * itself there), interpolation is delegated to `sceneGraph.interpolate`, exactly as Grafana core
 * does, so scene variables, `$__interval` and the time macros resolve from the plugin's own scene.
 * Otherwise `$name`, `${name}`, `${name:format}` and `[[name]]` are replaced from the scoped vars
 * (a value, or an array joined by the format function or `,`). Dashboard variables do not exist
 * here (`getVariables()` is empty).
 */
import type { ScopedVars, TimeRange, TypedVariableModel } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
import { type SceneObject, sceneGraph } from '@grafana/scenes';

export type FormatFn = (value: unknown, variable: unknown, defaultFormat?: unknown) => string;

const VARIABLE_REGEX = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;

export class TestHostTemplateSrv implements TemplateSrv {
  private timeRange?: TimeRange;

  getVariables(): TypedVariableModel[] {
    return [];
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string {
    if (!target) {
      return target ?? '';
    }
    const sceneObject = scopedVars?.__sceneObject?.value as SceneObject | undefined;
    if (sceneObject && typeof sceneObject === 'object' && 'state' in sceneObject) {
      const { __sceneObject: _omit, ...rest } = scopedVars!;
      return sceneGraph.interpolate(sceneObject, target, rest, format as never);
    }
    return target.replace(VARIABLE_REGEX, (match, name1, name2, format2, name3, _fieldPath, format3) => {
      const name = name1 ?? name2 ?? name3;
      const variable = scopedVars?.[name];
      if (!variable) {
        return match;
      }
      const value = variable.value;
      const fmt = format ?? format2 ?? format3;
      if (typeof fmt === 'function') {
        return (fmt as FormatFn)(value, { name, multi: Array.isArray(value), includeAll: false });
      }
      return Array.isArray(value) ? value.join(',') : String(value ?? '');
    });
  }

  containsTemplate(target?: string): boolean {
    if (!target) {
      return false;
    }
    VARIABLE_REGEX.lastIndex = 0;
    const found = VARIABLE_REGEX.test(target);
    VARIABLE_REGEX.lastIndex = 0;
    return found;
  }

  updateTimeRange(timeRange: TimeRange): void {
    this.timeRange = timeRange;
  }

  getTimeRange(): TimeRange | undefined {
    return this.timeRange;
  }
}
