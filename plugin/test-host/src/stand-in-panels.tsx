/**
 * STAND-IN panel plugins for Grafana's core panels (timeseries, stat, table, …): those are part of
 * Grafana's own frontend and cannot exist outside it. `importPanelPlugin(id)` (the
 * PluginImportUtils @grafana/scenes' VizPanel uses) answers every core panel id with a PanelPlugin
 * that renders the frames it receives as plain tables, so a test can read what a panel was given:
 *
 *   [data-testid="stand-in-panel"][data-panel-type="stat"][data-state="Done"]
 *     table[data-testid="stand-in-frame"][data-ref-id="A"] (caption = frame name, one th per field,
 *     the last 20 rows; times as ISO-8601 UTC, numbers through the field's display processor)
 *
 * The `text` panel shows `options.content` as text. An id that is not a core panel rejects like
 * Grafana ("Panel plugin not found"), and VizPanel shows its not-found panel.
 */
import {
  type DataFrame,
  type Field,
  FieldType,
  PanelPlugin,
  type PanelPluginMeta,
  type PanelProps,
  PluginType,
  formattedValueToString,
  getFieldDisplayName,
} from '@grafana/data';
import React from 'react';

export const CORE_PANEL_IDS = [
  'alertlist',
  'annolist',
  'barchart',
  'bargauge',
  'candlestick',
  'canvas',
  'dashlist',
  'datagrid',
  'flamegraph',
  'gauge',
  'geomap',
  'heatmap',
  'histogram',
  'logs',
  'news',
  'nodeGraph',
  'piechart',
  'stat',
  'state-timeline',
  'status-history',
  'table',
  'text',
  'timeseries',
  'traces',
  'trend',
  'welcome',
  'xychart',
] as const;

const SKIP_DATA_QUERY = new Set(['text', 'news', 'dashlist', 'welcome', 'annolist', 'alertlist']);
const MAX_ROWS = 20;
const CELL: React.CSSProperties = { textAlign: 'left', padding: '1px 12px 1px 0', whiteSpace: 'nowrap' };

export function standInPanelMeta(id: string, version: string): PanelPluginMeta {
  return {
    id,
    name: `${id} (stand-in)`,
    type: PluginType.panel,
    module: `core:plugin/${id}`,
    baseUrl: `public/app/plugins/panel/${id}`,
    sort: CORE_PANEL_IDS.indexOf(id as never),
    skipDataQuery: SKIP_DATA_QUERY.has(id),
    hideFromList: false,
    info: {
      author: { name: 'Vigil test host (stand-in for Grafana Labs)' },
      description: `Stand-in for Grafana's core ${id} panel`,
      links: [],
      logos: { small: '', large: '' },
      screenshots: [],
      updated: '',
      version,
    },
  };
}

const cache = new Map<string, PanelPlugin>();

export function getStandInPanelFromCache(id: string): PanelPlugin | undefined {
  return cache.get(id);
}

export async function importStandInPanel(id: string, version: string): Promise<PanelPlugin> {
  const cached = cache.get(id);
  if (cached) {
    return cached;
  }
  if (!(CORE_PANEL_IDS as readonly string[]).includes(id)) {
    throw new Error(`Panel plugin not found: ${id}`);
  }
  const plugin = new PanelPlugin(id === 'text' ? StandInTextPanel : makeStandInPanel(id));
  plugin.meta = standInPanelMeta(id, version);
  cache.set(id, plugin);
  return plugin;
}

function makeStandInPanel(id: string) {
  function StandInPanel({ data, width, height }: PanelProps) {
    return (
      <div
        data-testid="stand-in-panel"
        data-panel-type={id}
        data-state={data.state}
        style={{ width, height, overflow: 'auto', fontSize: 12 }}
      >
        <div style={{ opacity: 0.7 }}>
          stand-in {id} panel · {data.series.length} frame{data.series.length === 1 ? '' : 's'}
        </div>
        {data.series.map((frame, index) => (
          <FrameTable key={`${frame.refId}-${index}`} frame={frame} all={data.series} />
        ))}
      </div>
    );
  }
  StandInPanel.displayName = `StandInPanel(${id})`;
  return StandInPanel;
}

function StandInTextPanel({ options, width, height }: PanelProps<{ content?: string }>) {
  return (
    <div data-testid="stand-in-panel" data-panel-type="text" style={{ width, height, overflow: 'auto' }}>
      {options.content ?? ''}
    </div>
  );
}

function FrameTable({ frame, all }: { frame: DataFrame; all: DataFrame[] }) {
  const first = Math.max(0, frame.length - MAX_ROWS);
  const rows = Array.from({ length: frame.length - first }, (_unused, offset) => first + offset);
  return (
    <table data-testid="stand-in-frame" data-ref-id={frame.refId} data-rows={frame.length} style={{ marginBottom: 8 }}>
      <caption style={{ textAlign: 'left' }}>{frame.name ?? frame.refId ?? ''}</caption>
      <thead>
        <tr>
          {frame.fields.map((field, index) => (
            <th key={index} style={CELL}>
              {getFieldDisplayName(field, frame, all)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row}>
            {frame.fields.map((field, index) => (
              <td key={index} style={CELL}>
                {formatValue(field, field.values[row])}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function formatValue(field: Field, value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (field.type === FieldType.time && typeof value === 'number') {
    return new Date(value).toISOString();
  }
  if (field.display) {
    return formattedValueToString(field.display(value));
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
