import { parse } from 'yaml';

import { alertTemplatesOf, renderContext } from '../signals';
import { packDownload } from './download';

const options = { ctx: renderContext(), appBase: '/a/pulse-monitoring-app', datasourceUid: 'pulse-ds' };
const selection = alertTemplatesOf('host').map((template) => ({
  template,
  overrides: template.rule === 'HostCpuHigh' ? { threshold: 0.8, for: '30m' } : undefined,
}));

describe('packDownload', () => {
  it('writes Grafana file provisioning of the selection, with its edits, on the data source', () => {
    const file = packDownload('grafana', 'host', selection, options);
    expect(file.filename).toBe('pulse-host.grafana-alerting.yaml');
    expect(file.text.startsWith('# Grafana alerting file provisioning written by Pulse')).toBe(true);
    const doc = parse(file.text);
    expect(doc.apiVersion).toBe(1);
    expect(doc.groups.map((g: { name: string; folder: string }) => [g.name, g.folder])).toEqual([
      ['pulse-host', 'Pulse'],
    ]);
    const rules = doc.groups[0].rules;
    expect(rules).toHaveLength(selection.length);
    const cpu = rules.find((r: { title: string }) => r.title === 'HostCpuHigh');
    expect(cpu.for).toBe('30m');
    expect(cpu.data[2].model.conditions[0].evaluator.params).toEqual([0.8]);
    expect(cpu.data[0].datasourceUid).toBe('pulse-ds');
    expect(file.skipped).toEqual([]);
  });

  it("writes a Prometheus rule file whose rate window follows the data source's scrape interval", () => {
    const file = packDownload('prometheus', 'host', selection, { ...options, scrapeInterval: '30s' });
    expect(file.filename).toBe('pulse-host.rules.yml');
    const doc = parse(file.text);
    const cpu = doc.groups[0].rules.find((r: { alert: string }) => r.alert === 'HostCpuHigh');
    expect(cpu.expr).toContain('[2m]');
    expect(cpu.expr).not.toContain('$__');
    expect(cpu.expr).toMatch(/> 0\.8$/);
    // No scrape interval set: 15 s, so a one-minute window.
    expect(packDownload('prometheus', 'host', selection, options).text).toContain('[1m]');
  });
});
