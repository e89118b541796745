/** Test doubles of Grafana's shell components (wired in by setupTests.ts). */
import React from 'react';
import type { NavModelItem } from '@grafana/data';
import type { DataSourcePickerProps } from '@grafana/runtime';

export function TestPluginPage({
  pageNav,
  subTitle,
  actions,
  children,
}: {
  pageNav?: NavModelItem;
  subTitle?: React.ReactNode;
  actions?: React.ReactNode;
  children?: React.ReactNode;
}) {
  return (
    <div>
      <h1>{pageNav?.text}</h1>
      {subTitle && <div>{subTitle}</div>}
      <div data-testid="page-actions">{actions}</div>
      {children}
    </div>
  );
}

export const TEST_DATASOURCES = [
  { uid: 'vigil-prometheus', name: 'Vigil Prometheus', type: 'prometheus' },
  { uid: 'other-prometheus', name: 'Other Prometheus', type: 'prometheus' },
  { uid: 'vigil-alertmanager', name: 'Vigil Alertmanager', type: 'alertmanager' },
  { uid: 'other-alertmanager', name: 'Other Alertmanager', type: 'alertmanager' },
];

export function TestDataSourcePicker({ current, onChange, type, inputId }: DataSourcePickerProps) {
  const uid = typeof current === 'string' ? current : (current?.uid ?? '');
  const options = TEST_DATASOURCES.filter((ds) => !type || ds.type === type);
  return (
    <select
      id={inputId}
      aria-label={`${type} datasource`}
      value={uid}
      onChange={(event) => {
        const ds = options.find((option) => option.uid === event.currentTarget.value);
        if (ds) {
          onChange({ ...ds, id: 0, meta: {}, readOnly: false, jsonData: {}, access: 'proxy' } as never);
        }
      }}
    >
      {options.map((ds) => (
        <option key={ds.uid} value={ds.uid}>
          {ds.name}
        </option>
      ))}
    </select>
  );
}
