import React from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert } from '@grafana/ui';
import { QueryContent } from '../../components/QueryContent/QueryContent';
import { VigilPage } from '../../components/VigilPage/VigilPage';
import { ROUTES } from '../../constants';
import { useScenarios } from '../../data/useScenarios';
import { useAllTargets } from '../../data/useTargets';
import { canWrite } from '../../utils/permissions';
import { prefixRoute } from '../../utils/utils.routing';
import { NewRunForm, NoTargets } from './NewRunForm';

/** `runs/new[?scenario=<id>&target=<targetId>]`: the form to start a run, built from the runner's catalog. */
export function NewRun() {
  return (
    <VigilPage
      title="New run"
      subTitle="A k6 run of a scenario against a target, judged against the SLO catalog's thresholds"
      parent={{ text: 'Runs', url: prefixRoute(ROUTES.Runs) }}
    >
      {canWrite() ? (
        <NewRunContent />
      ) : (
        <Alert severity="info" title="Starting runs needs the Editor role">
          Your Grafana role can read runs but not start them (Vigil Writer, granted to Editors). Ask a Grafana admin.
        </Alert>
      )}
    </VigilPage>
  );
}

function NewRunContent() {
  const [search] = useSearchParams();
  const scenarios = useScenarios();
  const targets = useAllTargets();
  return (
    <QueryContent query={scenarios} loading="Loading the runner's catalog">
      {(catalog) => (
        <QueryContent
          query={targets}
          loading="Loading targets"
          isEmpty={(page) => page.total === 0}
          empty={<NoTargets />}
        >
          {(page) => (
            <NewRunForm
              scenarios={catalog}
              targets={page.items}
              preset={{ scenario: search.get('scenario'), targetId: search.get('target') }}
            />
          )}
        </QueryContent>
      )}
    </QueryContent>
  );
}
