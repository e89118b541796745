import React from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { ROUTES } from '../../constants';
import { QueryProvider } from '../../data/query';
import { Alerts } from '../../pages/Alerts/Alerts';
import { Overview } from '../../pages/Overview/Overview';
import { ProbeDetail } from '../../pages/Probes/ProbeDetail';
import { Probes } from '../../pages/Probes/Probes';
import { NewRun } from '../../pages/Runs/NewRun';
import { RunDetail } from '../../pages/Runs/RunDetail';
import { Runs } from '../../pages/Runs/Runs';
import { Targets } from '../../pages/Targets/Targets';
import type { VigilJsonData } from '../../types';
import { PluginPropsContext } from '../../utils/utils.plugin';

/**
 * The app root: Grafana mounts it at /a/vigil-mcp-app/*, so the route paths here are relative to
 * that (ROUTES). Every page is one route; detail pages are `<page>/:id`.
 */
function App(props: AppRootProps<VigilJsonData>) {
  return (
    <PluginPropsContext.Provider value={props}>
      <QueryProvider>
        <Routes>
          <Route path={ROUTES.Overview} element={<Overview />} />
          <Route path={ROUTES.Runs} element={<Runs />} />
          <Route path={`${ROUTES.Runs}/new`} element={<NewRun />} />
          <Route path={`${ROUTES.Runs}/:id`} element={<RunDetail />} />
          <Route path={ROUTES.Probes} element={<Probes />} />
          <Route path={`${ROUTES.Probes}/:id`} element={<ProbeDetail />} />
          <Route path={ROUTES.Targets} element={<Targets />} />
          <Route path={ROUTES.Alerts} element={<Alerts />} />
          <Route path="*" element={<Navigate to={ROUTES.Overview} replace />} />
        </Routes>
      </QueryProvider>
    </PluginPropsContext.Provider>
  );
}

export default App;
