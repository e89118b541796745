import React, { type ChangeEvent, type SyntheticEvent, useState } from 'react';
import { css } from '@emotion/css';
import type { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps } from '@grafana/data';
import { DataSourcePicker, locationService } from '@grafana/runtime';
import {
  Alert,
  Button,
  Field,
  FieldSet,
  Input,
  LoadingPlaceholder,
  SecretInput,
  Stack,
  Text,
  useStyles2,
} from '@grafana/ui';
import { DATASOURCE_UIDS } from '@vigil/scenarios/catalog/dashboards.ts';
import { QueryProvider } from '../../data/query';
import { useSavePluginSettings } from '../../data/usePluginSettings';
import { useRunnerConnectionTest } from '../../data/useRunnerHealth';
import type { VigilJsonData } from '../../types';
import { RunnerErrorAlert } from '../RunnerErrorAlert/RunnerErrorAlert';
import { RunnerReadiness } from '../RunnerReadiness/RunnerReadiness';
import { normalizeRunnerUrl, runnerUrlProblem } from './AppConfig.utils';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<VigilJsonData>> {}

/**
 * The app's configuration page: where Grafana's proxy finds the runner (jsonData.runnerUrl), the
 * runner token (secureJsonData.runnerToken: write-only, encrypted by Grafana, never sent back to
 * the browser), the datasources, and a connection test through the proxy.
 */
function AppConfigForm({ plugin }: AppConfigProps) {
  const styles = useStyles2(getStyles);
  const { enabled, pinned, jsonData, secureJsonFields } = plugin.meta;
  const savedUrl = jsonData?.runnerUrl ?? '';
  const [runnerUrl, setRunnerUrl] = useState(savedUrl);
  const [urlVisited, setUrlVisited] = useState(false);
  const [token, setToken] = useState('');
  const [tokenConfigured, setTokenConfigured] = useState(Boolean(secureJsonFields?.runnerToken));
  const [prometheusUid, setPrometheusUid] = useState(jsonData?.prometheusUid || DATASOURCE_UIDS.prometheus);
  const [alertmanagerUid, setAlertmanagerUid] = useState(jsonData?.alertmanagerUid || DATASOURCE_UIDS.alertmanager);
  const [submitted, setSubmitted] = useState(false);
  const [saved, setSaved] = useState(false);
  const save = useSavePluginSettings();
  const connection = useRunnerConnectionTest();
  // what Grafana holds: plugin.meta until a save here (reload() does not renew plugin.meta)
  const [stored, setStored] = useState(() => ({
    runnerUrl: savedUrl,
    tokenConfigured: Boolean(secureJsonFields?.runnerToken),
    prometheusUid: jsonData?.prometheusUid || DATASOURCE_UIDS.prometheus,
    alertmanagerUid: jsonData?.alertmanagerUid || DATASOURCE_UIDS.alertmanager,
  }));

  const urlError = runnerUrlProblem(runnerUrl);
  const tokenError =
    !tokenConfigured && token === '' ? "the runner token is required (the runner's VIGIL_TOKEN)" : undefined;
  const dirty =
    normalizeRunnerUrl(runnerUrl) !== stored.runnerUrl ||
    token !== '' ||
    tokenConfigured !== stored.tokenConfigured ||
    prometheusUid !== stored.prometheusUid ||
    alertmanagerUid !== stored.alertmanagerUid;

  const onSubmit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (urlError || tokenError) {
      return;
    }
    try {
      await save.mutate({
        enabled,
        pinned,
        jsonData: { ...jsonData, runnerUrl: normalizeRunnerUrl(runnerUrl), prometheusUid, alertmanagerUid },
        // only a newly typed token is sent; an untouched one stays as Grafana stored it
        secureJsonData: token !== '' ? { runnerToken: token } : undefined,
      });
    } catch {
      return; // shown from save.error
    }
    setToken('');
    setTokenConfigured(true);
    setStored({ runnerUrl: normalizeRunnerUrl(runnerUrl), tokenConfigured: true, prometheusUid, alertmanagerUid });
    setSaved(true);
    // the app reads its settings when Grafana loads it: reload so the pages see the new ones
    locationService.reload();
  };

  return (
    <form onSubmit={onSubmit} className={styles.form} noValidate>
      <FieldSet label="Runner">
        <Field
          label="Runner URL"
          description="The Vigil runner's base URL as the Grafana server reaches it (the browser never calls it)."
          invalid={Boolean((urlVisited || submitted) && urlError)}
          error={urlError}
        >
          <Input
            id="vigil-runner-url"
            width={60}
            value={runnerUrl}
            placeholder="http://vigil-runner:8090"
            onChange={(event: ChangeEvent<HTMLInputElement>) => {
              setRunnerUrl(event.currentTarget.value);
              setUrlVisited(true);
            }}
            onBlur={() => setUrlVisited(true)}
          />
        </Field>
        <Field
          label="Runner token"
          description="The runner's VIGIL_TOKEN. Grafana stores it encrypted and adds it to the proxied requests; it never reaches the browser."
          invalid={Boolean(submitted && tokenError)}
          error={tokenError}
        >
          <SecretInput
            id="vigil-runner-token"
            width={60}
            value={token}
            isConfigured={tokenConfigured}
            placeholder="VIGIL_TOKEN"
            onChange={(event: ChangeEvent<HTMLInputElement>) => setToken(event.currentTarget.value)}
            onReset={() => {
              setToken('');
              setTokenConfigured(false);
            }}
          />
        </Field>
      </FieldSet>
      <FieldSet label="Datasources">
        <Field
          label="Prometheus"
          description="Where the runner's probe series and the k6 runs' samples are (default vigil-prometheus)."
        >
          <DataSourcePicker
            inputId="vigil-prometheus-datasource"
            width={60}
            type="prometheus"
            noDefault
            current={prometheusUid}
            onChange={(ds) => setPrometheusUid(ds.uid)}
          />
        </Field>
        <Field label="Alertmanager" description="Where Vigil's alerts are routed (default vigil-alertmanager).">
          <DataSourcePicker
            inputId="vigil-alertmanager-datasource"
            width={60}
            type="alertmanager"
            noDefault
            current={alertmanagerUid}
            onChange={(ds) => setAlertmanagerUid(ds.uid)}
          />
        </Field>
      </FieldSet>
      <Stack direction="column" gap={2}>
        {save.error && (
          <Alert severity="error" title="The settings were not saved">
            {save.error.message} Saving the app&apos;s settings needs the Grafana Admin role.
          </Alert>
        )}
        {saved && <Alert severity="success" title="Settings saved" />}
        <Stack gap={2} alignItems="center">
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save settings'}
          </Button>
          <Button
            type="button"
            variant="secondary"
            icon="heart-rate"
            disabled={connection.isPending}
            onClick={() => void connection.mutate().catch(() => undefined)}
          >
            Test connection
          </Button>
          {dirty && (
            <Text color="secondary">
              The test goes through Grafana&apos;s proxy with the saved settings: save first.
            </Text>
          )}
        </Stack>
        <ConnectionResult test={connection} />
      </Stack>
    </form>
  );
}

function ConnectionResult({ test }: { test: ReturnType<typeof useRunnerConnectionTest> }) {
  if (test.isPending) {
    return <LoadingPlaceholder text="Testing the connection…" />;
  }
  if (test.error) {
    return <RunnerErrorAlert error={test.error} action="Testing the connection" />;
  }
  const result = test.data;
  if (!result) {
    return null;
  }
  if (result.scenariosError) {
    return (
      <>
        <RunnerErrorAlert
          error={result.scenariosError}
          action={`The runner answers (${result.readiness.status}), but calling its API`}
        />
        {result.readiness.status === 'degraded' && <RunnerReadiness readiness={result.readiness} />}
      </>
    );
  }
  return (
    <RunnerReadiness
      readiness={result.readiness}
      detail={
        <div>
          The token is accepted: {result.scenarios?.scenarios.length ?? 0} scenarios in the runner&apos;s catalog.
        </div>
      }
    />
  );
}

const AppConfig = (props: AppConfigProps) => (
  <QueryProvider>
    <AppConfigForm {...props} />
  </QueryProvider>
);

export default AppConfig;

const getStyles = (theme: GrafanaTheme2) => ({
  form: css({ marginTop: theme.spacing(3), maxWidth: theme.spacing(100) }),
});
