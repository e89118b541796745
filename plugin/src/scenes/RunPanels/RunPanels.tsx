/**
 * A run's panels as a scene (@grafana/scenes): one SceneQueryRunner per panel against the
 * Prometheus datasource of the app's settings, over the run's time window, with a time picker and
 * a refresh button. The queries are RunPanels.utils.ts's (the catalog's builders, filtered by the
 * run's testid). Loaded lazily by the Run detail page: scenes is most of the app's bundle, and
 * only this page needs it.
 */
import React, { useMemo } from 'react';
import {
  EmbeddedScene,
  PanelBuilders,
  SceneCSSGridLayout,
  SceneQueryRunner,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  type VizPanel,
} from '@grafana/scenes';
import { LinkButton } from '@grafana/ui';
import { type TimeWindow, exploreUrl } from '../../utils/links';
import { type PanelRun, type PanelSpec, runPanels } from './RunPanels.utils';

export interface RunPanelsProps {
  run: PanelRun;
  prometheusUid: string;
  window: TimeWindow;
  /** The run is still going: the range ends at `now` and the panels refresh every 10 s. */
  live: boolean;
}

function vizPanel(spec: PanelSpec, prometheusUid: string, window: TimeWindow): VizPanel {
  const datasource = { type: 'prometheus', uid: prometheusUid };
  const data = new SceneQueryRunner({
    datasource,
    maxDataPoints: 200,
    queries: spec.queries.map((query) => ({
      refId: query.refId,
      datasource,
      expr: query.expr,
      legendFormat: query.legend,
      instant: Boolean(query.instant),
      range: !query.instant,
    })),
  });
  const explore = (
    <LinkButton
      size="sm"
      variant="secondary"
      fill="text"
      icon="compass"
      href={exploreUrl(
        prometheusUid,
        spec.queries.map((query) => query.expr),
        window
      )}
      aria-label={`Explore ${spec.title}`}
    >
      Explore
    </LinkButton>
  );
  const builder =
    spec.kind === 'stat'
      ? PanelBuilders.stat()
      : spec.kind === 'bargauge'
        ? PanelBuilders.bargauge()
        : PanelBuilders.timeseries();
  builder.setTitle(spec.title).setDescription(spec.description).setData(data).setUnit(spec.unit);
  builder.setHeaderActions(explore);
  if (spec.noValue) {
    builder.setNoValue(spec.noValue);
  }
  return builder.build();
}

export function buildRunScene({ run, prometheusUid, window, live }: RunPanelsProps): EmbeddedScene {
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({
      from: new Date(window.from).toISOString(),
      to: live ? 'now' : new Date(window.to).toISOString(),
    }),
    controls: [
      new SceneTimePicker({ isOnCanvas: true }),
      new SceneRefreshPicker({ isOnCanvas: true, refresh: live ? '10s' : '', intervals: ['5s', '10s', '30s', '1m'] }),
    ],
    body: new SceneCSSGridLayout({
      templateColumns: 'repeat(auto-fit, minmax(420px, 1fr))',
      autoRows: '280px',
      children: runPanels(run).map((spec) => vizPanel(spec, prometheusUid, window)),
    }),
  });
}

export default function RunPanels(props: RunPanelsProps) {
  const { run, prometheusUid, window, live } = props;
  // a new scene when what it shows changes (a run that ends gets its final window), not on each
  // poll of the run: while live the range ends at `now` and the scene refreshes itself
  const to = live ? undefined : window.to;
  const scene = useMemo(
    () => buildRunScene({ run, prometheusUid, window, live }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [run.id, run.scenario, run.kind, prometheusUid, window.from, to, live]
  );
  return <scene.Component model={scene} />;
}
