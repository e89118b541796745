/** Walks a generated dashboard for its panels, their PromQL and the template variables. */
import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';

export interface PanelQuery {
  dashboard: string;
  panel: string;
  refId: string;
  expr: string;
  instant: boolean;
}

export function panelsOf(dashboard: Dashboard): Array<Panel & { panels?: Panel[] }> {
  const top = (dashboard.panels ?? []) as Array<Panel | RowPanel>;
  return top.flatMap((panel) => [panel as Panel, ...((panel as RowPanel).panels ?? [])]) as Array<
    Panel & { panels?: Panel[] }
  >;
}

export function queriesOf(dashboard: Dashboard): PanelQuery[] {
  return panelsOf(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => {
      const query = target as { expr?: string; refId?: string; instant?: boolean };
      if (!query.expr)
        throw new Error(`${dashboard.uid} / ${panel.title}: target ${query.refId} has no expr`);
      return {
        dashboard: dashboard.uid ?? '',
        panel: panel.title ?? '',
        refId: query.refId ?? '',
        expr: query.expr,
        instant: query.instant === true,
      };
    }),
  );
}

export type VariableQuery =
  | { name: string; kind: 'label_values'; series: string; label: string }
  | { name: string; kind: 'query_result'; expr: string; label: string };

/** Parses the `label_values(series, label)` and `query_result(expr)` (+ regex) variable queries. */
export function variablesOf(dashboard: Dashboard): VariableQuery[] {
  return (dashboard.templating.list ?? []).map((variable): VariableQuery => {
    const query = String(variable.query);
    const labelValues = /^label_values\((.+), (\w+)\)$/.exec(query);
    if (labelValues)
      return { name: variable.name, kind: 'label_values', series: labelValues[1]!, label: labelValues[2]! };
    const queryResult = /^query_result\((.+)\)$/.exec(query);
    const regexLabel = /^\/(\w+)="\(\[\^"\]\+\)"\/$/.exec(variable.regex ?? '');
    if (queryResult && regexLabel) {
      return { name: variable.name, kind: 'query_result', expr: queryResult[1]!, label: regexLabel[1]! };
    }
    throw new Error(`${dashboard.uid}: variable ${variable.name} has a query this test cannot run: ${query}`);
  });
}

/**
 * Replaces `$name` (and Grafana's interval variables) the way Grafana would for one selection.
 * `$1`-style label_replace references are not variables and stay; any other unknown name throws,
 * so a misspelt variable cannot slip through.
 */
export function substitute(text: string, values: Record<string, string>): string {
  return text.replace(/\$(__\w+|[A-Za-z_]\w*)/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for variable ${whole} in ${text}`);
    return value;
  });
}
