import React, { type ChangeEvent, type SyntheticEvent, useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import {
  Alert,
  Button,
  Checkbox,
  Combobox,
  Field,
  FieldSet,
  Input,
  LinkButton,
  RadioButtonGroup,
  Stack,
  Text,
  TextArea,
  TextLink,
} from '@grafana/ui';
import { RunnerError } from '../../api/errors';
import type { ScenarioParameter, Scenarios, Target } from '../../api/types';
import { RunnerErrorAlert } from '../../components/RunnerErrorAlert/RunnerErrorAlert';
import { ROUTES } from '../../constants';
import { useCreateRun } from '../../data/useRuns';
import { type FormState, useForm } from '../../utils/form';
import { formatSeconds } from '../../utils/format';
import { prefixRoute } from '../../utils/utils.routing';
import {
  ENGINES,
  type NewRunValues,
  formToRunCreate,
  initialValues,
  isWorkloadChecked,
  newRunFieldOf,
  newRunSchema,
  overrideField,
  parameterHelp,
  scenarioOf,
  toggleWorkload,
} from './NewRun.utils';

interface Props {
  scenarios: Scenarios;
  targets: readonly Target[];
  preset: { scenario?: string | null; targetId?: string | null };
}

/**
 * Start a run: scenario, target, profile, engine and the scenario's overrides, every field and its
 * help from the runner's catalog. Errors show as you type; Start run sends nothing while any is left.
 */
export function NewRunForm({ scenarios, targets, preset }: Props) {
  const navigate = useNavigate();
  const schema = useMemo(() => newRunSchema(scenarios), [scenarios]);
  const form = useForm<NewRunValues>(schema, initialValues(scenarios, preset));
  const create = useCreateRun();
  const { values } = form;
  const scenario = scenarioOf(scenarios, values.scenario);
  const profile = scenarios.profiles.find((candidate) => candidate.id === values.profile);

  const fieldState = (name: keyof NewRunValues & string) => ({
    invalid: Boolean(form.error(name)),
    error: form.error(name),
  });

  const onSubmit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!form.submit() || !scenario) {
      return;
    }
    try {
      const run = await create.mutate(formToRunCreate(values, scenario));
      navigate(prefixRoute(ROUTES.Runs, run.id));
    } catch (error) {
      const field = error instanceof RunnerError ? newRunFieldOf(error.field, scenario) : undefined;
      if (field && error instanceof RunnerError) {
        form.setServerError(field, error.message);
      }
    }
  };

  const unmappedError = create.error && newRunFieldOf(create.error.field, scenario) ? undefined : create.error;
  const { limits } = scenarios;

  return (
    // noValidate: the browser's own check of min/max would block the submit silently and hide the
    // catalog's messages for the other fields
    <form onSubmit={onSubmit} aria-label="New run" noValidate>
      {unmappedError && (
        <RunnerErrorAlert error={unmappedError} action="Starting the run">
          {unmappedError.runId && (
            <TextLink href={prefixRoute(ROUTES.Runs, unmappedError.runId)}>Open run {unmappedError.runId}</TextLink>
          )}
        </RunnerErrorAlert>
      )}
      <Field label="Scenario" description={scenario?.description} {...fieldState('scenario')}>
        <Combobox
          id="run-scenario"
          width={48}
          options={scenarios.scenarios.map((candidate) => ({
            label: candidate.title,
            value: candidate.id,
            description: `${candidate.id} · ${candidate.kind} · ${candidate.workloads.map((w) => w.id).join(', ')}`,
          }))}
          value={values.scenario || null}
          onChange={(option) => form.setValue('scenario', option?.value ?? '')}
        />
      </Field>
      <Field
        label="Target"
        description="The MCP server to run against, with its stored authorization settings."
        {...fieldState('targetId')}
      >
        <Combobox
          id="run-targetId"
          width={48}
          options={targets.map((target) => ({ label: target.name, value: target.id, description: target.mcpUrl }))}
          value={values.targetId || null}
          placeholder="Choose a target"
          onChange={(option) => form.setValue('targetId', option?.value ?? '')}
          onBlur={() => form.touch('targetId')}
        />
      </Field>
      <Field label="Profile" description={profile?.description} {...fieldState('profile')}>
        <RadioButtonGroup
          options={scenarios.profiles.map((candidate) => ({ label: candidate.id, value: candidate.id }))}
          value={values.profile}
          onChange={(value) => form.setValue('profile', value)}
        />
      </Field>
      <Field
        label="Engine"
        description="local: k6 on the runner's host; kubernetes: a k6-operator TestRun (when the runner has VIGIL_K8S_NAMESPACE)."
        {...fieldState('engine')}
      >
        <RadioButtonGroup
          options={ENGINES.map((engine) => ({ label: engine, value: engine }))}
          value={values.engine}
          onChange={(value) => form.setValue('engine', value)}
        />
      </Field>
      {scenario && scenario.parameters.length > 0 && (
        <FieldSet label="Overrides">
          {scenario.parameters.map((parameter) => (
            <OverrideField
              key={`${scenario.id}-${parameter.key}`}
              parameter={parameter}
              workloads={scenario.workloads.map((workload) => ({ id: workload.id, title: workload.title }))}
              form={form}
            />
          ))}
        </FieldSet>
      )}
      <Alert severity="info" title="This runner's limits">
        At most {limits.maxVus} VUs, {limits.maxRate} iterations/s and {formatSeconds(limits.maxDurationSeconds)} per
        run, {limits.maxConcurrentRuns} load runs at once. A run over a limit is refused (on the field that asks for
        it).
      </Alert>
      <Stack gap={1}>
        <Button type="submit" icon={create.isPending ? 'spinner' : 'play'} disabled={create.isPending}>
          {create.isPending ? 'Starting…' : 'Start run'}
        </Button>
        <LinkButton variant="secondary" fill="outline" href={prefixRoute(ROUTES.Runs)}>
          Cancel
        </LinkButton>
      </Stack>
    </form>
  );
}

interface OverrideFieldProps {
  parameter: ScenarioParameter;
  workloads: Array<{ id: string; title: string }>;
  form: FormState<NewRunValues>;
}

/** One catalog parameter as an input fitting its type, with its help and bounds. */
function OverrideField({ parameter, workloads, form }: OverrideFieldProps) {
  const name = overrideField(parameter.key);
  const value = form.values[name] ?? '';
  const common = {
    id: `run-${name}`,
    value,
    onBlur: () => form.touch(name),
  };
  const invalid = Boolean(form.error(name));
  let control: React.ReactNode;
  switch (parameter.type) {
    case 'workloads':
      control = (
        <Stack direction="column" gap={0.5} alignItems="flex-start">
          {workloads.map((workload) => (
            <Checkbox
              key={workload.id}
              // each box its own id: without one, Grafana's Checkbox takes the Field's, shared by all
              id={`run-workload-${workload.id}`}
              label={`${workload.id} (${workload.title})`}
              value={isWorkloadChecked(value, workload.id)}
              onChange={(event: ChangeEvent<HTMLInputElement>) =>
                form.setValue(
                  name,
                  toggleWorkload(
                    value,
                    workloads.map((w) => w.id),
                    workload.id,
                    event.currentTarget.checked
                  )
                )
              }
            />
          ))}
        </Stack>
      );
      break;
    case 'json':
      control = (
        <TextArea
          {...common}
          rows={3}
          placeholder={String(parameter.default ?? '{}')}
          onChange={(event: ChangeEvent<HTMLTextAreaElement>) => form.setValue(name, event.currentTarget.value)}
        />
      );
      break;
    default:
      control = (
        <Input
          {...common}
          width={parameter.type === 'string' ? 40 : 20}
          type={parameter.type === 'integer' ? 'number' : 'text'}
          min={parameter.type === 'integer' ? parameter.min : undefined}
          max={parameter.type === 'integer' ? parameter.max : undefined}
          placeholder={parameter.default !== undefined ? String(parameter.default) : 'profile value'}
          onChange={(event: ChangeEvent<HTMLInputElement>) => form.setValue(name, event.currentTarget.value)}
        />
      );
  }
  return (
    <Field
      label={parameter.key}
      description={parameterHelp(parameter)}
      invalid={invalid}
      error={form.error(name)}
      // the control is not Field's direct child, so Field cannot take its id: name it, or the label labels nothing
      htmlFor={parameter.type === 'workloads' ? undefined : common.id}
    >
      <>{control}</>
    </Field>
  );
}

/** Shown instead of the form while the runner has no target to run against. */
export function NoTargets() {
  return (
    <Alert severity="info" title="Create a target first">
      <Text>A run needs a target (an MCP server and how to authorize against it). </Text>
      <TextLink href={prefixRoute(ROUTES.Targets)}>Open Targets</TextLink>
    </Alert>
  );
}
