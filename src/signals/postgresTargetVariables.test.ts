import {
  getSignal,
  postgresDatabaseVariableQuery,
  postgresInstanceVariableQuery,
  REQUIRED_METRICS,
  renderContext,
  targetJobVariableQuery,
} from '.';

// Checked against the demo stack's Prometheus with /api/v1/label/<label>/values?match[]=<selector>.
describe('variable queries of the PostgreSQL and Targets pages', () => {
  it('lists postgres_exporter targets by pg_up', () => {
    expect(postgresInstanceVariableQuery()).toBe('label_values(pg_up, instance)');
  });

  it('lists the databases of the chosen exporters without the templates', () => {
    expect(postgresDatabaseVariableQuery('$instance')).toBe(
      'label_values(pg_stat_database_numbackends{instance=~"$instance", datname!~"template.*"}, datname)'
    );
  });

  it('escapes a literal exporter address as an exact match', () => {
    expect(postgresDatabaseVariableQuery('db.internal:9187')).toBe(
      'label_values(pg_stat_database_numbackends{instance="db.internal:9187", datname!~"template.*"}, datname)'
    );
  });

  it('lists every scrape job by up', () => {
    expect(targetJobVariableQuery()).toBe('label_values(up, job)');
  });
});

describe('metrics that postgres_exporter 0.11 lacks', () => {
  it.each(Object.entries(REQUIRED_METRICS))('%s reads %s', (id, metric) => {
    expect(getSignal(id)?.render({}, renderContext({ profile: 'seed' }))).toContain(metric);
  });
});
