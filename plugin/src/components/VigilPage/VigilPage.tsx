import React from 'react';
import type { NavModelItem } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, TextLink } from '@grafana/ui';
import { CONFIG_PAGE_URL } from '../../constants';
import { useVigilSettings } from '../../utils/utils.plugin';

interface Props {
  /** The page title (Grafana shows it in the header and the breadcrumbs). */
  title: string;
  subTitle?: React.ReactNode;
  /** Header buttons (New target, Run now…). */
  actions?: React.ReactNode;
  /** Parent crumb for detail pages. */
  parent?: NavModelItem;
  children: React.ReactNode;
}

/**
 * Every app page's frame: Grafana's PluginPage, and, while no runner URL is configured, a banner
 * saying where to set it instead of the page (which would only show proxy errors).
 */
export function VigilPage({ title, subTitle, actions, parent, children }: Props) {
  const { isRunnerConfigured } = useVigilSettings();
  const pageNav: NavModelItem = { text: title, ...(parent ? { parentItem: parent } : {}) };
  return (
    <PluginPage pageNav={pageNav} subTitle={subTitle} actions={isRunnerConfigured ? actions : undefined}>
      {isRunnerConfigured ? (
        children
      ) : (
        <Alert severity="info" title="The Vigil runner is not configured yet">
          Set the runner URL and token on the{' '}
          <TextLink href={CONFIG_PAGE_URL}>Vigil app&apos;s configuration page</TextLink> (Administration → Plugins →
          Vigil). The token stays on the Grafana server; the app reaches the runner through Grafana&apos;s plugin proxy.
        </Alert>
      )}
    </PluginPage>
  );
}
