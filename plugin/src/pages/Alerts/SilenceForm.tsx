import React, { type ChangeEvent, type SyntheticEvent } from 'react';
import { config } from '@grafana/runtime';
import { Button, Field, IconButton, Input, Stack, Text, TextArea } from '@grafana/ui';
import type { AlertmanagerAlert } from '../../api/alerting';
import { RunnerErrorAlert } from '../../components/RunnerErrorAlert/RunnerErrorAlert';
import { useCreateSilence } from '../../data/useAlerts';
import { useForm } from '../../utils/form';
import {
  type MatcherRow,
  type SilenceFormValues,
  silenceBody,
  silenceFormFor,
  silenceFormSchema,
} from './Alerts.utils';

interface Props {
  alert: AlertmanagerAlert;
  alertmanagerUid: string;
  onDone: (silenceId: string) => void;
  onCancel: () => void;
}

/**
 * Silence an alert in Alertmanager: exact matchers, prefilled with the alert's identifying labels
 * (edit them to silence more or less), a duration and a comment. Created as the Grafana user.
 */
export function SilenceForm({ alert, alertmanagerUid, onDone, onCancel }: Props) {
  const form = useForm<SilenceFormValues>(silenceFormSchema, silenceFormFor(alert));
  const create = useCreateSilence(alertmanagerUid);
  const { values } = form;
  const createdBy = config.bootData?.user?.login || 'grafana';

  const setMatcher = (index: number, change: Partial<MatcherRow>) =>
    form.setValue(
      'matchers',
      values.matchers.map((row, i) => (i === index ? { ...row, ...change } : row))
    );

  const onSubmit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!form.submit()) {
      return;
    }
    try {
      const { silenceID } = await create.mutate(silenceBody(values, createdBy));
      onDone(silenceID);
    } catch {
      // shown from create.error
    }
  };

  return (
    <form onSubmit={onSubmit} aria-label={`Silence ${alert.labels.alertname}`} noValidate>
      {create.error && <RunnerErrorAlert error={create.error} action="Creating the silence" />}
      <Field
        label="Matchers"
        description="The silence mutes every alert whose labels equal all of these."
        invalid={Boolean(form.error('matchers'))}
        error={form.error('matchers')}
      >
        <Stack direction="column" gap={1}>
          {values.matchers.map((row, index) => (
            <Stack key={index} gap={1} alignItems="center">
              <Input
                aria-label={`Matcher ${index + 1} label`}
                width={20}
                value={row.name}
                onChange={(event: ChangeEvent<HTMLInputElement>) =>
                  setMatcher(index, { name: event.currentTarget.value })
                }
              />
              <Text>=</Text>
              <Input
                aria-label={`Matcher ${index + 1} value`}
                width={40}
                value={row.value}
                onChange={(event: ChangeEvent<HTMLInputElement>) =>
                  setMatcher(index, { value: event.currentTarget.value })
                }
              />
              <IconButton
                name="trash-alt"
                tooltip={`Remove ${row.name || 'this matcher'}`}
                onClick={() =>
                  form.setValue(
                    'matchers',
                    values.matchers.filter((_, i) => i !== index)
                  )
                }
              />
            </Stack>
          ))}
          <div>
            <Button
              size="sm"
              variant="secondary"
              icon="plus"
              type="button"
              onClick={() => form.setValue('matchers', [...values.matchers, { name: '', value: '' }])}
            >
              Add matcher
            </Button>
          </div>
        </Stack>
      </Field>
      <Field
        label="Duration"
        description="From now: 30m, 2h, 1h30m (at most 30 days)."
        invalid={Boolean(form.error('duration'))}
        error={form.error('duration')}
      >
        <Input
          id="silence-duration"
          width={20}
          value={values.duration}
          onChange={(event: ChangeEvent<HTMLInputElement>) => form.setValue('duration', event.currentTarget.value)}
          onBlur={() => form.touch('duration')}
        />
      </Field>
      <Field
        label="Comment"
        description={`Why, for whoever sees the silence (created by ${createdBy}).`}
        invalid={Boolean(form.error('comment'))}
        error={form.error('comment')}
      >
        <TextArea
          id="silence-comment"
          rows={3}
          value={values.comment}
          onChange={(event: ChangeEvent<HTMLTextAreaElement>) => form.setValue('comment', event.currentTarget.value)}
          onBlur={() => form.touch('comment')}
        />
      </Field>
      <Stack gap={1}>
        <Button type="submit" icon="bell-slash" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create silence'}
        </Button>
        <Button type="button" variant="secondary" fill="outline" onClick={onCancel}>
          Cancel
        </Button>
      </Stack>
    </form>
  );
}
