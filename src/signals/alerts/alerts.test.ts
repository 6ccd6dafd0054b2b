import {
  ALERT_PACKS,
  ALERT_TEMPLATES,
  PROFILE_IDS,
  alertAnnotations,
  alertTemplatesOf,
  english,
  getAlertTemplate,
  renderAlert,
  renderContext,
  type AlertPack,
} from '..';
import { parsePromQL } from '../../promql/parse';

const seed = renderContext({ profile: 'seed' });
const template = (id: string) => {
  const [pack, rule] = id.split('/');
  return getAlertTemplate(pack as AlertPack, rule)!;
};

describe('alert templates, seed profile', () => {
  // pack/rule, Prometheus expression, default threshold, for, severity
  it.each([
    [
      'service/ServiceErrorRatioHigh',
      '(((sum by (name) (rate(nestjs_fail_requests_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) or sum by (name) (rate(nestjs_success_requests_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) * 0) / ((sum by (name) (rate(nestjs_success_requests_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) or sum by (name) (rate(nestjs_fail_requests_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) * 0) + (sum by (name) (rate(nestjs_fail_requests_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) or sum by (name) (rate(nestjs_success_requests_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) * 0))) and on (name) (sum by (name) ((label_replace(rate(nestjs_success_requests_count[$__rate_interval]), "outcome", "success", "", "") or label_replace(rate(nestjs_fail_requests_count[$__rate_interval]), "outcome", "fail", "", "")) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info))) > 0.1) > 0.05',
      0.05,
      '5m',
      'critical',
    ],
    [
      'service/ServiceLatencyP95High',
      '((histogram_quantile(0.95, sum by (le, name) ((label_replace(rate(nestjs_success_requests_bucket[$__rate_interval]), "outcome", "success", "", "") or label_replace(rate(nestjs_fail_requests_bucket[$__rate_interval]), "outcome", "fail", "", "")) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)))) and on (name) (sum by (name) ((label_replace(rate(nestjs_success_requests_count[$__rate_interval]), "outcome", "success", "", "") or label_replace(rate(nestjs_fail_requests_count[$__rate_interval]), "outcome", "fail", "", "")) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info))) > 0.1) > 1',
      1,
      '10m',
      'warning',
    ],
    [
      'service/ServiceDown',
      '(group by (instance, job, name) (last_over_time(nestjs_info[1d])) and on (instance, job) up unless on (instance, job) nestjs_info) > 0',
      0,
      '2m',
      'critical',
    ],
    [
      'service/ServiceEventLoopLagHigh',
      '(nodejs_eventloop_lag_p99_seconds * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) > 0.2',
      0.2,
      '5m',
      'warning',
    ],
    [
      'service/ServiceRestarting',
      '(sum by (instance, name) (changes(process_start_time_seconds[$__range]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info))) > 2',
      2,
      '0m',
      'warning',
    ],
    ['host/HostDown', '((1 - up) and on (instance, job) last_over_time(node_uname_info[1d])) > 0', 0, '5m', 'critical'],
    [
      'host/HostCpuHigh',
      '(1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[$__rate_interval]))) > 0.9',
      0.9,
      '15m',
      'warning',
    ],
    [
      'host/HostMemoryHigh',
      '(1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) > 0.9',
      0.9,
      '15m',
      'warning',
    ],
    [
      'host/HostFilesystemAlmostFull',
      '(1 - node_filesystem_avail_bytes{fstype!="", fstype!~"tmpfs|ramfs|squashfs|nsfs", mountpoint!=""} / node_filesystem_size_bytes{fstype!="", fstype!~"tmpfs|ramfs|squashfs|nsfs", mountpoint!=""}) > 0.95',
      0.95,
      '30m',
      'warning',
    ],
    [
      'host/HostFilesystemFillingUp',
      '((predict_linear(node_filesystem_avail_bytes{fstype!="", fstype!~"tmpfs|ramfs|squashfs|nsfs", mountpoint!=""}[6h], 86400) and node_filesystem_readonly{fstype!="", fstype!~"tmpfs|ramfs|squashfs|nsfs", mountpoint!=""} == 0) and (1 - node_filesystem_avail_bytes{fstype!="", fstype!~"tmpfs|ramfs|squashfs|nsfs", mountpoint!=""} / node_filesystem_size_bytes{fstype!="", fstype!~"tmpfs|ramfs|squashfs|nsfs", mountpoint!=""}) > 0.6) < 0',
      0,
      '1h',
      'warning',
    ],
    [
      'host/HostLoadHigh',
      '(node_load5 / on (instance) count by (instance) (node_cpu_seconds_total{mode="idle"})) > 2',
      2,
      '15m',
      'warning',
    ],
    [
      'container/ContainerMemoryNearLimit',
      '(sum by (name, id) (container_memory_working_set_bytes{image!=""}) / sum by (name, id) (container_spec_memory_limit_bytes{image!=""} > 0)) > 0.9',
      0.9,
      '5m',
      'warning',
    ],
    [
      'container/ContainerCpuThrottled',
      '(sum by (name, id) (rate(container_cpu_cfs_throttled_periods_total{image!=""}[$__rate_interval])) / sum by (name, id) (rate(container_cpu_cfs_periods_total{image!=""}[$__rate_interval]))) > 0.25',
      0.25,
      '15m',
      'warning',
    ],
    [
      'container/ContainerGone',
      '(time() - max by (instance, name) (max_over_time(container_last_seen{image!="", name!=""}[1h]))) > 60',
      60,
      '0m',
      'warning',
    ],
    [
      'postgres/PostgresExporterDown',
      '((1 - up) and on (instance, job) last_over_time(pg_up[1d])) > 0',
      0,
      '5m',
      'critical',
    ],
    ['postgres/PostgresDown', '(pg_up) < 1', 1, '1m', 'critical'],
    [
      'postgres/PostgresConnectionsHigh',
      '(sum by (instance) (pg_stat_activity_count) / (sum by (instance) (pg_settings_max_connections) - sum by (instance) (pg_settings_superuser_reserved_connections))) > 0.8',
      0.8,
      '5m',
      'warning',
    ],
    [
      'postgres/PostgresRollbackRatioHigh',
      '((sum by (instance, datname) (rate(pg_stat_database_xact_rollback{datname!~"template.*"}[$__rate_interval])) / (sum by (instance, datname) (rate(pg_stat_database_xact_commit{datname!~"template.*"}[$__rate_interval])) + sum by (instance, datname) (rate(pg_stat_database_xact_rollback{datname!~"template.*"}[$__rate_interval])))) and on (instance, datname) (sum by (instance, datname) (rate(pg_stat_database_xact_commit{datname!~"template.*"}[$__rate_interval])) + sum by (instance, datname) (rate(pg_stat_database_xact_rollback{datname!~"template.*"}[$__rate_interval]))) > 1) > 0.05',
      0.05,
      '10m',
      'warning',
    ],
    [
      'postgres/PostgresDeadlocks',
      '(sum by (instance, datname) (increase(pg_stat_database_deadlocks{datname!~"template.*"}[$__rate_interval]))) > 0',
      0,
      '0m',
      'warning',
    ],
    [
      'postgres/PostgresLongTransaction',
      '(max by (instance, datname) (pg_stat_activity_max_tx_duration{datname!~"template.*"})) > 300',
      300,
      '2m',
      'warning',
    ],
    [
      'postgres/PostgresCacheHitRatioLow',
      '((sum by (instance, datname) (rate(pg_stat_database_blks_hit{datname!~"template.*"}[$__rate_interval])) / (sum by (instance, datname) (rate(pg_stat_database_blks_hit{datname!~"template.*"}[$__rate_interval])) + sum by (instance, datname) (rate(pg_stat_database_blks_read{datname!~"template.*"}[$__rate_interval])))) and on (instance, datname) (sum by (instance, datname) (rate(pg_stat_database_xact_commit{datname!~"template.*"}[$__rate_interval])) + sum by (instance, datname) (rate(pg_stat_database_xact_rollback{datname!~"template.*"}[$__rate_interval]))) > 1) < 0.9',
      0.9,
      '15m',
      'warning',
    ],
    ['target/TargetDown', '(up) < 1', 1, '5m', 'warning'],
  ])('%s', (id, expr, threshold, forDuration, severity) => {
    const rule = renderAlert(template(id), seed);
    expect(rule.expr).toBe(expr);
    expect(rule.condition.threshold).toBe(threshold);
    expect(rule.for).toBe(forDuration);
    expect(rule.severity).toBe(severity);
    expect(rule.labels).toEqual({ severity, pulse_pack: rule.pack, pulse_rule: rule.rule });
    expect(rule.unavailable).toBeUndefined();
    // The Grafana query is the expression without the condition: Grafana's threshold expression compares.
    expect(rule.expr).toBe(`(${rule.query}) ${rule.condition.op} ${threshold}`);
  });

  it('covers every template', () => {
    expect(ALERT_TEMPLATES).toHaveLength(26);
    expect(ALERT_PACKS.map((pack) => alertTemplatesOf(pack).length)).toEqual([9, 6, 3, 7, 1]);
    const ids = ALERT_TEMPLATES.map((t) => `${t.pack}/${t.rule}`);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('service pack, other instrumentation profiles', () => {
  const otel = renderContext({ profile: 'otel-http' });
  it.each([
    [
      'ServiceErrorRatioHigh',
      '(((sum by (name) (rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code=~"5.."}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)")) or sum by (name) (rate({__name__=~"http_server_request_duration(_seconds)?_count"}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)")) * 0) / sum by (name) (rate({__name__=~"http_server_request_duration(_seconds)?_count"}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)"))) and on (name) (sum by (name) ((label_replace(rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code!~"5.."}[$__rate_interval]), "outcome", "success", "", "") or label_replace(rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code=~"5.."}[$__rate_interval]), "outcome", "fail", "", "")) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)"))) > 0.1) > 0.05',
    ],
    [
      'ServiceLatencyP95High',
      '((histogram_quantile(0.95, sum by (le, name) (rate({__name__=~"http_server_request_duration(_seconds)?_bucket"}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)")))) and on (name) (sum by (name) ((label_replace(rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code!~"5.."}[$__rate_interval]), "outcome", "success", "", "") or label_replace(rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code=~"5.."}[$__rate_interval]), "outcome", "fail", "", "")) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)"))) > 0.1) > 1',
    ],
    [
      'ServiceDown',
      '(label_replace(group by (instance, job, service_name) (last_over_time(target_info[1d])), "name", "$1", "service_name", "(.*)") and on (instance, job) up unless on (instance, job) target_info) > 0',
    ],
    [
      'ServiceEventLoopLagHigh',
      '(nodejs_eventloop_lag_p99_seconds * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)")) > 0.2',
    ],
    [
      'ServiceRestarting',
      '(sum by (instance, name) (changes(process_start_time_seconds[$__range]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)"))) > 2',
    ],
  ])('otel-http %s', (rule, expr) => {
    expect(renderAlert(getAlertTemplate('service', rule)!, otel).expr).toBe(expr);
  });

  it.each([...PROFILE_IDS, 'auto'].map((p) => [p]))(
    'every service template renders for %s, parses, and is available',
    (profile) => {
      const ctx = renderContext({ profile });
      for (const t of alertTemplatesOf('service')) {
        const rule = renderAlert(t, ctx);
        expect(rule.unavailable).toBeUndefined();
        const parsed = parsePromQL(rule.expr);
        expect(parsed.ok || parsed.error.code !== 'syntax').toBe(true);
      }
    }
  );

  it('one-histogram profile: the error ratio counts failures with the failed counter', () => {
    const rule = renderAlert(
      getAlertTemplate('service', 'ServiceErrorRatioHigh')!,
      renderContext({ profile: 'nestjs-requests' })
    );
    expect(rule.expr).toContain('rate(nestjs_requests_failed_count[$__rate_interval])');
    expect(rule.expr).toContain('rate(nestjs_requests_count[$__rate_interval])');
  });

  it('job profile: services are jobs', () => {
    const rule = renderAlert(
      getAlertTemplate('service', 'ServiceDown')!,
      renderContext({ profile: 'prom-client-http' })
    );
    expect(rule.expr).toBe(
      '(label_replace(group by (instance, job) (last_over_time(http_request_duration_seconds_count[1d])), "name", "$1", "job", "(.*)") and on (instance, job) up unless on (instance, job) group by (instance, job) (http_request_duration_seconds_count)) > 0'
    );
  });
});

describe('every template', () => {
  it.each(ALERT_TEMPLATES.map((t) => [`${t.pack}/${t.rule}`, t]))('%s parses for the seed profile', (_id, t) => {
    const parsed = parsePromQL(renderAlert(t, seed).expr);
    expect(parsed.ok || parsed.error.code !== 'syntax').toBe(true);
  });

  it('names a page of the app and labels its page link with labels the query keeps', () => {
    for (const t of ALERT_TEMPLATES) {
      expect(t.page).toMatch(/^(services|hosts|containers|postgresql|targets)(\/\{\{\w+\}\})?$/);
      for (const label of [...t.page.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1])) {
        expect(t.instanceLabels).toContain(label);
      }
      for (const label of Object.values(t.labelValues)) {
        expect(t.instanceLabels).toContain(label);
      }
    }
  });
});

describe('overrides', () => {
  const errorRatio = getAlertTemplate('service', 'ServiceErrorRatioHigh')!;

  it('replace threshold, for, severity and the guard, and add labels under Pulse’s', () => {
    const rule = renderAlert(errorRatio, seed, {
      threshold: 0.02,
      for: '10m',
      severity: 'warning',
      guardThreshold: 1,
      labels: { team: 'payments', severity: 'ignored' },
    });
    expect(rule.expr.endsWith(') > 1) > 0.02')).toBe(true);
    expect(rule.for).toBe('10m');
    expect(rule.labels).toEqual({
      team: 'payments',
      severity: 'warning',
      pulse_pack: 'service',
      pulse_rule: 'ServiceErrorRatioHigh',
    });
    expect(rule.guard).toEqual({ op: '>', threshold: 1, unit: 'reqps' });
  });

  it('leaves the template as it was', () => {
    renderAlert(errorRatio, seed, { threshold: 0.5 });
    expect(renderAlert(errorRatio, seed).condition.threshold).toBe(0.05);
  });
});

describe('annotations', () => {
  it('fill labels, value, threshold, for and guard, and link the page', () => {
    const rule = renderAlert(getAlertTemplate('service', 'ServiceErrorRatioHigh')!, seed);
    expect(alertAnnotations(rule, { valueRef: '$value', appBase: '/a/pulse-monitoring-app' })).toEqual({
      summary: '{{ $labels.name }}: {{ humanizePercentage $value }} of requests fail',
      description:
        'More than 5% of the requests of {{ $labels.name }} failed for 5m (only while it serves more than 0.1 req/s).',
      runbook: english(rule.template.runbook),
      pulse_page: '/a/pulse-monitoring-app/services/{{ urlquery $labels.name }}',
    });
  });

  it('leave no placeholder unfilled', () => {
    for (const t of ALERT_TEMPLATES) {
      const annotations = alertAnnotations(renderAlert(t, seed), { valueRef: '$values.B.Value', appBase: '/a/x' });
      for (const text of Object.values(annotations)) {
        expect(text.replace(/\{\{ [^}]+ \}\}/g, '')).not.toMatch(/\{\{|\}\}/);
      }
    }
  });

  it('translate through the given translator', () => {
    const rule = renderAlert(getAlertTemplate('host', 'HostDown')!, seed);
    const annotations = alertAnnotations(rule, {
      valueRef: '$value',
      appBase: '/a/x',
      translate: (m) => `[${m.key}]`,
    });
    expect(annotations.summary).toBe('[signals.alerts.host.HostDown.summary]');
    expect(annotations.pulse_page).toBe('/a/x/hosts/{{ urlquery $labels.instance }}');
  });
});
