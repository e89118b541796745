import React, { type ChangeEvent, type SyntheticEvent } from 'react';
import { Button, Combobox, Field, Input, RadioButtonGroup, Stack, Switch } from '@grafana/ui';
import { RunnerError } from '../../api/errors';
import type { Probe } from '../../api/types';
import { RunnerErrorAlert } from '../../components/RunnerErrorAlert/RunnerErrorAlert';
import { useCreateProbe, useUpdateProbe } from '../../data/useProbes';
import { useAllTargets } from '../../data/useTargets';
import { useForm } from '../../utils/form';
import {
  type ProbeFormValues,
  STRICT_DESCRIPTIONS,
  STRICT_LEVELS,
  effectiveTimeout,
  formToCreate,
  formToPatch,
  probeFieldOf,
  probeFormSchema,
  probeToForm,
} from './Probes.utils';

interface Props {
  /** The probe to edit; a new one when absent. */
  probe?: Probe;
  onDone: (saved: Probe) => void;
  onCancel: () => void;
}

/** Create or edit a probe: which target, how often, how long a walk may take, enabled, strict. */
export function ProbeForm({ probe, onDone, onCancel }: Props) {
  const targets = useAllTargets();
  const form = useForm<ProbeFormValues>(probeFormSchema, probeToForm(probe));
  const create = useCreateProbe();
  const update = useUpdateProbe();
  const mutation = probe ? update : create;
  const { values } = form;
  const timeoutDefault = effectiveTimeout({ ...values, timeoutSeconds: '' });

  const fieldState = (name: keyof ProbeFormValues & string) => ({
    invalid: Boolean(form.error(name)),
    error: form.error(name),
  });
  const input = (name: 'name' | 'intervalSeconds' | 'timeoutSeconds') => ({
    id: `probe-${name}`,
    value: values[name],
    onChange: (event: ChangeEvent<HTMLInputElement>) => form.setValue(name, event.currentTarget.value),
    onBlur: () => form.touch(name),
  });

  const onSubmit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!form.submit()) {
      return;
    }
    try {
      if (probe) {
        const patch = formToPatch(values, probe);
        onDone(Object.keys(patch).length > 0 ? await update.mutate({ id: probe.id, patch }) : probe);
      } else {
        onDone(await create.mutate(formToCreate(values)));
      }
    } catch (error) {
      const field = error instanceof RunnerError ? probeFieldOf(error.field) : undefined;
      if (field && error instanceof RunnerError) {
        form.setServerError(field, error.message);
      }
    }
  };

  const unmappedError = mutation.error && probeFieldOf(mutation.error.field) ? undefined : mutation.error;
  const targetOptions = (targets.data?.items ?? []).map((target) => ({
    label: target.name,
    value: target.id,
    description: target.mcpUrl,
  }));

  return (
    <form onSubmit={onSubmit} aria-label={probe ? `Edit probe ${probe.name}` : 'New probe'} noValidate>
      {unmappedError && (
        <RunnerErrorAlert error={unmappedError} action={probe ? 'Saving the probe' : 'Creating the probe'} />
      )}
      {targets.error && <RunnerErrorAlert error={targets.error} action="Loading the targets" />}
      <Field label="Name" description="Becomes the `probe` label of its series." {...fieldState('name')}>
        <Input {...input('name')} placeholder="my-mcp-server-prod" />
      </Field>
      <Field
        label="Target"
        description="The MCP server to walk, with its authorization settings."
        {...fieldState('targetId')}
      >
        <Combobox
          id="probe-targetId"
          options={targetOptions}
          value={values.targetId || null}
          loading={targets.isLoading}
          placeholder={targets.isLoading ? 'Loading targets…' : 'Choose a target'}
          onChange={(option) => form.setValue('targetId', option?.value ?? '')}
          onBlur={() => form.touch('targetId')}
        />
      </Field>
      <Field
        label="Interval (seconds)"
        description="How often the probe walks (10 s to a day)."
        {...fieldState('intervalSeconds')}
      >
        <Input {...input('intervalSeconds')} type="number" min={10} max={86400} width={20} />
      </Field>
      <Field
        label="Timeout (seconds)"
        description={
          timeoutDefault !== undefined
            ? `How long a walk may take; shorter than the interval. Empty: the runner's default, min(30, interval − 1) = ${timeoutDefault} s.`
            : "How long a walk may take; shorter than the interval. Empty: the runner's default, min(30, interval − 1)."
        }
        {...fieldState('timeoutSeconds')}
      >
        <Input
          {...input('timeoutSeconds')}
          type="number"
          min={1}
          max={600}
          width={20}
          placeholder={timeoutDefault !== undefined ? String(timeoutDefault) : ''}
        />
      </Field>
      <Field label="Enabled" description="A disabled probe keeps its history and does not walk.">
        <Switch
          id="probe-enabled"
          value={values.enabled}
          onChange={(event: ChangeEvent<HTMLInputElement>) => form.setValue('enabled', event.currentTarget.checked)}
        />
      </Field>
      <Field label="Strict" description={STRICT_DESCRIPTIONS[values.strict]}>
        <RadioButtonGroup
          id="probe-strict"
          options={STRICT_LEVELS.map((level) => ({ label: level, value: level }))}
          value={values.strict}
          onChange={(value) => form.setValue('strict', value)}
        />
      </Field>
      <Stack gap={1}>
        <Button type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? 'Saving…' : probe ? 'Save probe' : 'Create probe'}
        </Button>
        <Button type="button" variant="secondary" fill="outline" onClick={onCancel}>
          Cancel
        </Button>
      </Stack>
    </form>
  );
}
