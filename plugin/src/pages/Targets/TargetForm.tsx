import React, { type ChangeEvent, type SyntheticEvent } from 'react';
import { Button, Field, FieldSet, Input, RadioButtonGroup, SecretInput, SecretTextArea, Stack } from '@grafana/ui';
import { RunnerError } from '../../api/errors';
import type { Target } from '../../api/types';
import { RunnerErrorAlert } from '../../components/RunnerErrorAlert/RunnerErrorAlert';
import { useCreateTarget, useUpdateTarget } from '../../data/useTargets';
import { useForm } from '../../utils/form';
import {
  CLIENT_KEY_ALGS,
  GRANTS,
  type SecretField,
  TOKEN_AUTHS,
  type TargetFormValues,
  formFieldOf,
  formToCreate,
  formToPatch,
  targetFormSchema,
  targetToForm,
} from './Targets.utils';

interface Props {
  /** The target to edit; a new one when absent. */
  target?: Target;
  onDone: (saved: Target | undefined) => void;
  onCancel: () => void;
}

const withDefault = <T extends string>(values: readonly T[], defaultLabel: string) => [
  { label: defaultLabel, value: '' as '' | T },
  ...values.map((value) => ({ label: value, value: value as '' | T })),
];

/**
 * Create or edit a target. Validation mirrors the runner's (Targets.utils.ts) and shows as you
 * type; what the runner still refuses is shown on its field. Secrets are write-only: a stored one
 * shows as "configured" (its value is never in the browser), Reset clears it on save.
 */
export function TargetForm({ target, onDone, onCancel }: Props) {
  const form = useForm<TargetFormValues>(targetFormSchema, targetToForm(target));
  const create = useCreateTarget();
  const update = useUpdateTarget();
  const mutation = target ? update : create;
  const { values } = form;

  const text = (name: 'name' | 'mcpUrl' | 'clientId' | 'loginUser' | 'scopes' | 'clientMetadataUrl') => ({
    id: `target-${name}`,
    value: values[name],
    onChange: (event: ChangeEvent<HTMLInputElement>) => form.setValue(name, event.currentTarget.value),
    onBlur: () => form.touch(name),
  });
  const secret = (name: SecretField) => ({
    id: `target-${name}`,
    value: values[name].value,
    isConfigured: values[name].configured,
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      form.setValue(name, { value: event.currentTarget.value, configured: false }),
    onReset: () => form.setValue(name, { value: '', configured: false }),
    onBlur: () => form.touch(name),
  });
  const fieldState = (name: keyof TargetFormValues & string) => ({
    invalid: Boolean(form.error(name)),
    error: form.error(name),
  });

  const onSubmit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!form.submit()) {
      return;
    }
    try {
      if (target) {
        const patch = formToPatch(values, target);
        onDone(Object.keys(patch).length > 0 ? await update.mutate({ id: target.id, patch }) : target);
      } else {
        onDone(await create.mutate(formToCreate(values)));
      }
    } catch (error) {
      const field = error instanceof RunnerError ? formFieldOf(error.field) : undefined;
      if (field && error instanceof RunnerError) {
        form.setServerError(field, error.message);
      }
    }
  };

  const fieldError = mutation.error && formFieldOf(mutation.error.field) ? undefined : mutation.error;

  return (
    <form onSubmit={onSubmit} aria-label={target ? `Edit target ${target.name}` : 'New target'} noValidate>
      {fieldError && (
        <RunnerErrorAlert error={fieldError} action={target ? 'Saving the target' : 'Creating the target'} />
      )}
      <Field
        label="Name"
        description="Becomes the `target` label of every series: letters, digits, _ . : -, no spaces."
        {...fieldState('name')}
      >
        <Input {...text('name')} placeholder="my-mcp-server" />
      </Field>
      <Field label="MCP URL" description="The server's MCP endpoint (Streamable HTTP)." {...fieldState('mcpUrl')}>
        <Input {...text('mcpUrl')} placeholder="https://mcp.example.com/mcp" />
      </Field>
      <FieldSet label="Authorization">
        <Field label="Grant" description="Default: the authorization code flow with PKCE (a user logs in).">
          <RadioButtonGroup
            id="target-grant"
            options={withDefault(GRANTS, 'Default')}
            value={values.grant}
            onChange={(value) => form.setValue('grant', value)}
          />
        </Field>
        <Field label="Token endpoint authentication" description="Default: what client registration assigns.">
          <RadioButtonGroup
            id="target-tokenAuth"
            options={withDefault(TOKEN_AUTHS, 'Default')}
            value={values.tokenAuth}
            onChange={(value) => form.setValue('tokenAuth', value)}
          />
        </Field>
        <Field
          label="Client ID"
          description="A pre-registered client; empty: CIMD or dynamic registration."
          {...fieldState('clientId')}
        >
          <Input {...text('clientId')} />
        </Field>
        <Field
          label="Client secret"
          description="Write-only: stored encrypted by the runner."
          {...fieldState('clientSecret')}
        >
          <SecretInput {...secret('clientSecret')} />
        </Field>
        <Field
          label="Login user"
          description="The user the probe logs in as (authorization code flow)."
          {...fieldState('loginUser')}
        >
          <Input {...text('loginUser')} />
        </Field>
        <Field label="Login password" description="Write-only." {...fieldState('loginPassword')}>
          <SecretInput {...secret('loginPassword')} />
        </Field>
        <Field
          label="Scopes"
          description="Space-separated; default: what the server's challenge or metadata asks for."
          {...fieldState('scopes')}
        >
          <Input {...text('scopes')} />
        </Field>
        <Field
          label="Client metadata URL"
          description="A Client ID Metadata Document (https)."
          {...fieldState('clientMetadataUrl')}
        >
          <Input {...text('clientMetadataUrl')} placeholder="https://client.example.com/metadata.json" />
        </Field>
        <Field
          label="Client private key"
          description="For private_key_jwt: a PKCS#8 PEM key. Write-only."
          {...fieldState('clientPrivateKey')}
        >
          <SecretTextArea {...secret('clientPrivateKey')} rows={4} placeholder="-----BEGIN PRIVATE KEY-----" />
        </Field>
        <Field label="Key algorithm" description="The JWS algorithm the key signs with (default ES256).">
          <RadioButtonGroup
            id="target-clientKeyAlg"
            options={withDefault(CLIENT_KEY_ALGS, 'Default')}
            value={values.clientKeyAlg}
            onChange={(value) => form.setValue('clientKeyAlg', value)}
          />
        </Field>
      </FieldSet>
      <Stack gap={1}>
        <Button type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? 'Saving…' : target ? 'Save target' : 'Create target'}
        </Button>
        <Button type="button" variant="secondary" fill="outline" onClick={onCancel}>
          Cancel
        </Button>
      </Stack>
    </form>
  );
}
