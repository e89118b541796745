import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS, DATASOURCE_UIDS } from '@vigil/scenarios/catalog';
import { generateDashboards } from '../src/dashboards/index.ts';
import { referenceFile } from '@vigil/testkit';
import { DASHBOARDS_DIR } from '../src/paths.ts';
import { panelsOf, queriesOf } from './support/dashboard-queries.ts';

const generated = await generateDashboards();

async function schemaValidator() {
  // Grafana's dashboard schema is read from beside the repository (testkit's referenceFile).
  const schema = JSON.parse(
    await readFile(referenceFile('grafana/dashboard.jsonschema.json'), 'utf8'),
  ) as object;
  // The schema carries annotations ajv does not know (x-deprecation-message) and date-time
  // formats on fields the dashboards never set: strict mode and format validation are off.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  return ajv.compile(schema);
}

describe('generated dashboards', () => {
  it('cover every dashboard in the catalog, with its uid and title', () => {
    expect(generated.map((d) => d.dashboard.uid).sort()).toEqual(
      Object.values(DASHBOARDS)
        .map((d) => d.uid)
        .sort(),
    );
    for (const { key, dashboard } of generated) expect(dashboard.title).toBe(DASHBOARDS[key].title);
  });

  it.each(generated.map((d) => [d.fileName, d] as const))(
    '%s validates against the Grafana dashboard JSON schema',
    async (_name, d) => {
      const validate = await schemaValidator();
      const valid = validate(JSON.parse(d.json));
      expect(validate.errors ?? [], `${d.fileName}: ${JSON.stringify(validate.errors, null, 2)}`).toEqual([]);
      expect(valid).toBe(true);
    },
  );

  it('the schema check is real: a broken dashboard is rejected', async () => {
    const validate = await schemaValidator();
    const broken = JSON.parse(generated[0]!.json) as { panels: Array<Record<string, unknown>> };
    broken.panels[1]!.gridPos = { h: 'tall' };
    expect(validate(broken)).toBe(false);
  });

  it.each(generated.map((d) => [d.fileName, d] as const))(
    '%s: every panel queries the Vigil Prometheus datasource, ids unique',
    (_name, d) => {
      const panels = panelsOf(d.dashboard);
      expect(panels.length).toBeGreaterThan(0);
      const ids = panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const panel of panels) {
        if (panel.type === 'row') continue;
        expect(panel.datasource, panel.title).toEqual({
          type: 'prometheus',
          uid: DATASOURCE_UIDS.prometheus,
        });
        expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      }
      for (const variable of d.dashboard.templating.list ?? []) {
        expect(variable.datasource).toEqual({ type: 'prometheus', uid: DATASOURCE_UIDS.prometheus });
      }
      expect(queriesOf(d.dashboard).length).toBeGreaterThan(0);
    },
  );

  it('committed grafana/dashboards/*.json equal the generated ones (run npm run generate -w provisioning)', async () => {
    const committed = (await readdir(DASHBOARDS_DIR)).filter((name) => name.endsWith('.json')).sort();
    expect(committed).toEqual(generated.map((d) => d.fileName).sort());
    for (const d of generated) {
      const onDisk = await readFile(path.join(DASHBOARDS_DIR, d.fileName), 'utf8');
      expect(onDisk === d.json, `${d.fileName} is stale: run npm run generate -w provisioning`).toBe(true);
    }
  });
});
