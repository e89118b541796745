import React from 'react';
import { Link } from 'react-router-dom';
import { Badge, Stack, Tag, TextLink } from '@grafana/ui';
import { useProbes } from '../../data/useProbes';
import { MAX_PAGE_SIZE, useAllTargets } from '../../data/useTargets';
import { type AlertLink, alertLinks, otherLabels } from './VigilAlert.utils';

/** An alert's labels but its name and severity (those have columns), as chips. */
export function AlertLabels({ labels }: { labels: Record<string, string> }) {
  const chips = otherLabels(labels);
  return (
    <Stack gap={0.5} wrap="wrap">
      {chips.map(([name, value]) => (
        <Tag key={name} name={`${name}=${value}`} colorIndex={9} />
      ))}
    </Stack>
  );
}

export function SeverityBadge({ severity }: { severity?: string }) {
  if (!severity) {
    return null;
  }
  return <Badge color={severity === 'critical' ? 'red' : severity === 'warning' ? 'orange' : 'blue'} text={severity} />;
}

function LinkTo({ link }: { link: AlertLink }) {
  if (link.external || !link.href.startsWith('/a/')) {
    return (
      <TextLink href={link.href} external={link.external} inline={false}>
        {link.text}
      </TextLink>
    );
  }
  return <Link to={link.href}>{link.text}</Link>;
}

/** The alert's run, probe, target runs and dashboard (probe and target names resolved through the runner). */
export function AlertLinks({
  alert,
}: {
  alert: { labels: Record<string, string>; annotations: Record<string, string> };
}) {
  const probes = useProbes({ limit: MAX_PAGE_SIZE, offset: 0 });
  const targets = useAllTargets();
  const links = alertLinks(alert, probes.data?.items ?? [], targets.data?.items ?? []);
  return (
    <Stack gap={1.5} wrap="wrap">
      {links.map((link) => (
        <LinkTo key={link.href} link={link} />
      ))}
    </Stack>
  );
}
