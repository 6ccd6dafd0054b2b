import React, { ChangeEvent, FormEvent, useState } from 'react';
import { css } from '@emotion/css';
import { DataSourcePluginOptionsEditorProps, GrafanaTheme2 } from '@grafana/data';
import { t, Trans } from '@grafana/i18n';
import { getDataSourceSrv } from '@grafana/runtime';
import {
  Box,
  Button,
  Combobox,
  Field,
  FieldSet,
  IconButton,
  InlineField,
  InlineSwitch,
  Input,
  RadioButtonGroup,
  SecretInput,
  SecretTextArea,
  Stack,
  useStyles2,
} from '@grafana/ui';

import {
  AuthMethod,
  CustomHeader,
  PulseSettings,
  SecureKey,
  authMethodOf,
  isSecretConfigured,
  readCustomHeaders,
  resetSecret,
  setAuthMethod,
  setJsonData,
  setSecret,
  writeCustomHeaders,
} from '../settings';
import {
  AUTO_PROFILE,
  DEFAULT_PROFILE,
  isProfileId,
  profileChoice,
  type ProfileChoice,
  PROFILE_IDS,
  PROFILES,
  type ProfileId,
  profileMetricNames,
} from '../../signals/profiles';
import type { PulseDataSource } from '../datasource';
import { translateMessage } from '../i18n';
import {
  DEFAULT_HTTP_METHOD,
  DEFAULT_MAX_CONCURRENT_REQUESTS,
  DEFAULT_MAX_RESPONSE_SIZE_MB,
  HttpMethod,
  NestMetricNames,
  PulseDataSourceOptions,
  PulseSecureJsonData,
} from '../types';

type Props = DataSourcePluginOptionsEditorProps<PulseDataSourceOptions, PulseSecureJsonData>;

// Prometheus durations: 30s, 1m, 1m30s, 2h …
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const INPUT_WIDTH = 40;
const HTTP_METHODS: HttpMethod[] = ['POST', 'GET'];

// Example values shown as placeholders: literals of protocols and formats, the same in every language.
const URL_EXAMPLE = 'http://prometheus:9090';
const SERVER_NAME_EXAMPLE = 'prometheus.example.com';
const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';
const PEM_PRIVATE_KEY = '-----BEGIN PRIVATE KEY-----';
const TIMEOUT_SECONDS_EXAMPLE = '30';
const SCRAPE_INTERVAL_EXAMPLE = '15s';
const QUERY_TIMEOUT_EXAMPLE = '60s';
const HEADER_NAME_EXAMPLE = 'X-Scope-OrgID';
const MEGABYTES = 'MB';

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const styles = useStyles2(getStyles);
  const { jsonData } = options;

  const secretProps = (key: SecureKey) => ({
    isConfigured: isSecretConfigured(options, key),
    value: options.secureJsonData?.[key] ?? '',
    onReset: () => onOptionsChange(resetSecret(options, key)),
    onChange: (e: FormEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      onOptionsChange(setSecret(options, key, e.currentTarget.value)),
  });

  const textJsonData = (key: 'timeInterval' | 'queryTimeout' | 'serverName') => ({
    value: jsonData[key] ?? '',
    onChange: (e: ChangeEvent<HTMLInputElement>) =>
      onOptionsChange(setJsonData(options, key, e.currentTarget.value || undefined)),
  });

  // A positive whole number, or undefined (the backend's default) for anything else.
  const positiveJsonData = (key: 'timeout' | 'maxConcurrentRequests' | 'maxResponseSizeMB') => ({
    value: jsonData[key] ?? '',
    onChange: (e: ChangeEvent<HTMLInputElement>) => {
      const n = parseInt(e.currentTarget.value, 10);
      onOptionsChange(setJsonData(options, key, Number.isFinite(n) && n > 0 ? n : undefined));
    },
  });

  const switchJsonData = (key: 'tlsSkipVerify' | 'tlsAuthWithCACert' | 'tlsAuth') => ({
    value: Boolean(jsonData[key]),
    onChange: (e: ChangeEvent<HTMLInputElement>) => onOptionsChange(setJsonData(options, key, e.currentTarget.checked)),
  });

  const url = options.url ?? '';
  const urlInvalid = url !== '' && !/^https?:\/\/\S+$/.test(url);
  const durationInvalid = (value?: string) => Boolean(value) && !DURATION.test(value!);

  return (
    <div className={styles.editor}>
      <FieldSet label={t('config.connection.title', 'Connection')}>
        <Field
          label={t('config.connection.url.label', 'Prometheus server URL')}
          description={t(
            'config.connection.url.description',
            'The address Grafana uses to reach Prometheus or a Prometheus-compatible engine (VictoriaMetrics, Thanos, Mimir).'
          )}
          required
          invalid={urlInvalid}
          error={t('config.connection.url.error', 'Enter a URL that starts with http:// or https://')}
        >
          <Input
            id="pulse-config-url"
            width={INPUT_WIDTH}
            value={url}
            placeholder={URL_EXAMPLE}
            onChange={(e) => onOptionsChange({ ...options, url: e.currentTarget.value.trim() })}
          />
        </Field>
      </FieldSet>

      <FieldSet label={t('config.auth.title', 'Authentication')}>
        <AuthSettings options={options} onOptionsChange={onOptionsChange} secretProps={secretProps} />
      </FieldSet>

      <FieldSet label={t('config.tls.title', 'TLS')}>
        <InlineField
          label={t('config.tls.skip-verify.label', 'Skip TLS certificate verification')}
          tooltip={t(
            'config.tls.skip-verify.tooltip',
            'Accept any certificate the server presents. Only for testing: this turns off protection against impersonation.'
          )}
          labelWidth={36}
        >
          <InlineSwitch id="pulse-config-tls-skip-verify" {...switchJsonData('tlsSkipVerify')} />
        </InlineField>
        <InlineField
          label={t('config.tls.with-ca-cert.label', 'With CA certificate')}
          tooltip={t(
            'config.tls.with-ca-cert.tooltip',
            'Verify the server certificate against your own certificate authority, e.g. a self-signed one.'
          )}
          labelWidth={36}
        >
          <InlineSwitch id="pulse-config-tls-ca" {...switchJsonData('tlsAuthWithCACert')} />
        </InlineField>
        <InlineField
          label={t('config.tls.client-auth.label', 'TLS client authentication')}
          tooltip={t('config.tls.client-auth.tooltip', 'Present a client certificate to the server (mutual TLS).')}
          labelWidth={36}
        >
          <InlineSwitch id="pulse-config-tls-client-auth" {...switchJsonData('tlsAuth')} />
        </InlineField>

        {(jsonData.tlsAuth || jsonData.tlsAuthWithCACert) && (
          <Field
            label={t('config.tls.server-name.label', 'Server name')}
            description={t(
              'config.tls.server-name.description',
              'Host name expected in the server certificate, when it differs from the URL.'
            )}
          >
            <Input
              id="pulse-config-tls-server-name"
              width={INPUT_WIDTH}
              placeholder={SERVER_NAME_EXAMPLE}
              {...textJsonData('serverName')}
            />
          </Field>
        )}
        {jsonData.tlsAuthWithCACert && (
          <Field label={t('config.tls.ca-cert.label', 'CA certificate')}>
            <SecretTextArea
              id="pulse-config-tls-ca-cert"
              cols={60}
              rows={6}
              placeholder={PEM_CERTIFICATE}
              {...secretProps('tlsCACert')}
            />
          </Field>
        )}
        {jsonData.tlsAuth && (
          <>
            <Field label={t('config.tls.client-cert.label', 'Client certificate')}>
              <SecretTextArea
                id="pulse-config-tls-client-cert"
                cols={60}
                rows={6}
                placeholder={PEM_CERTIFICATE}
                {...secretProps('tlsClientCert')}
              />
            </Field>
            <Field label={t('config.tls.client-key.label', 'Client key')}>
              <SecretTextArea
                id="pulse-config-tls-client-key"
                cols={60}
                rows={6}
                placeholder={PEM_PRIVATE_KEY}
                {...secretProps('tlsClientKey')}
              />
            </Field>
          </>
        )}
      </FieldSet>

      <FieldSet label={t('config.headers.title', 'Custom HTTP headers')}>
        <CustomHeaders options={options} onOptionsChange={onOptionsChange} />
      </FieldSet>

      <FieldSet label={t('config.http.title', 'HTTP')}>
        <Field
          label={t('config.http.timeout.label', 'Timeout')}
          description={t('config.http.timeout.description', 'HTTP request timeout in seconds.')}
        >
          <Input
            id="pulse-config-timeout"
            type="number"
            min={1}
            width={12}
            placeholder={TIMEOUT_SECONDS_EXAMPLE}
            {...positiveJsonData('timeout')}
          />
        </Field>
        <Field
          label={t('config.http.method.label', 'HTTP method')}
          description={t(
            'config.http.method.description',
            'POST allows longer queries; use GET if a proxy in front of Prometheus only lets GET through.'
          )}
        >
          <RadioButtonGroup<HttpMethod>
            aria-label={t('config.http.method.label', 'HTTP method')}
            options={HTTP_METHODS.map((method) => ({ label: method, value: method }))}
            value={jsonData.httpMethod ?? DEFAULT_HTTP_METHOD}
            onChange={(method) => onOptionsChange(setJsonData(options, 'httpMethod', method))}
          />
        </Field>
        <Field
          label={t('config.http.max-concurrent-requests.label', 'Max concurrent requests')}
          description={t(
            'config.http.max-concurrent-requests.description',
            'Requests this data source sends to Prometheus at once, for all panels, users and editors together (default {{n}}). Others wait for a free slot: raise it if panels say the data source is busy.',
            { n: DEFAULT_MAX_CONCURRENT_REQUESTS }
          )}
        >
          <Input
            id="pulse-config-max-concurrent-requests"
            type="number"
            min={1}
            width={12}
            placeholder={String(DEFAULT_MAX_CONCURRENT_REQUESTS)}
            {...positiveJsonData('maxConcurrentRequests')}
          />
        </Field>
        <Field
          label={t('config.http.max-response-size.label', 'Max response size')}
          description={t(
            'config.http.max-response-size.description',
            'The largest answer one query or editor list may get when the Grafana server sets no [dataproxy] response_limit (default {{n}} MB). A limit set there applies instead.',
            { n: DEFAULT_MAX_RESPONSE_SIZE_MB }
          )}
        >
          <Input
            id="pulse-config-max-response-size"
            type="number"
            min={1}
            width={12}
            suffix={MEGABYTES}
            placeholder={String(DEFAULT_MAX_RESPONSE_SIZE_MB)}
            {...positiveJsonData('maxResponseSizeMB')}
          />
        </Field>
      </FieldSet>

      <FieldSet label={t('config.prometheus.title', 'Prometheus')}>
        <Field
          label={t('config.prometheus.scrape-interval.label', 'Scrape interval')}
          description={t(
            'config.prometheus.scrape-interval.description',
            'How often Prometheus scrapes your targets (scrape_interval). Queries never use a smaller step.'
          )}
          invalid={durationInvalid(jsonData.timeInterval)}
          error={t('config.prometheus.duration-error', 'Use a duration such as 15s, 1m or 1m30s')}
        >
          <Input
            id="pulse-config-scrape-interval"
            width={12}
            placeholder={SCRAPE_INTERVAL_EXAMPLE}
            {...textJsonData('timeInterval')}
          />
        </Field>
        <Field
          label={t('config.prometheus.query-timeout.label', 'Query timeout')}
          description={t(
            'config.prometheus.query-timeout.description',
            'Longest time Prometheus may spend evaluating one query.'
          )}
          invalid={durationInvalid(jsonData.queryTimeout)}
          error={t('config.prometheus.duration-error', 'Use a duration such as 15s, 1m or 1m30s')}
        >
          <Input
            id="pulse-config-query-timeout"
            width={12}
            placeholder={QUERY_TIMEOUT_EXAMPLE}
            {...textJsonData('queryTimeout')}
          />
        </Field>
        <InlineField
          label={t('config.prometheus.partial-response.label', 'Allow partial responses')}
          tooltip={t(
            'config.prometheus.partial-response.tooltip',
            'For Thanos Query: when a Prometheus replica or store is down, show the data of the others with a warning. Turn off to get an error instead.'
          )}
          labelWidth={36}
        >
          <InlineSwitch
            id="pulse-config-partial-response"
            value={jsonData.partialResponse !== false}
            onChange={(e: ChangeEvent<HTMLInputElement>) =>
              onOptionsChange(setJsonData(options, 'partialResponse', e.currentTarget.checked))
            }
          />
        </InlineField>
      </FieldSet>

      <FieldSet label={t('config.metrics.title', 'NestJS metric names')}>
        <p className={styles.sectionDescription}>
          <Trans i18nKey="config.metrics.description">
            How your NestJS services are measured, and the metrics that instrumentation exports. Change a name only if
            your services rename it; empty fields use the name shown.
          </Trans>
        </p>
        <MetricNames options={options} onOptionsChange={onOptionsChange} />
      </FieldSet>
    </div>
  );
}

interface SectionProps {
  options: PulseSettings;
  onOptionsChange: (options: PulseSettings) => void;
}

function AuthSettings({
  options,
  onOptionsChange,
  secretProps,
}: SectionProps & { secretProps: (key: SecureKey) => React.ComponentProps<typeof SecretInput> }) {
  // Kept locally so "Bearer token" stays selected while no token has been typed yet.
  const [method, setMethod] = useState<AuthMethod>(() => authMethodOf(options));

  const methods: Array<{ label: string; value: AuthMethod }> = [
    { label: t('config.auth.method.none', 'No authentication'), value: 'none' },
    { label: t('config.auth.method.basic', 'Basic authentication'), value: 'basic' },
    { label: t('config.auth.method.bearer', 'Bearer token'), value: 'bearer' },
  ];

  return (
    <>
      <Field label={t('config.auth.method.label', 'Authentication method')}>
        <RadioButtonGroup<AuthMethod>
          aria-label={t('config.auth.method.label', 'Authentication method')}
          options={methods}
          value={method}
          onChange={(next) => {
            setMethod(next);
            onOptionsChange(setAuthMethod(options, next));
          }}
        />
      </Field>
      {method === 'basic' && (
        <>
          <Field label={t('config.auth.basic.user', 'User')}>
            <Input
              id="pulse-config-basic-user"
              width={INPUT_WIDTH}
              value={options.basicAuthUser ?? ''}
              onChange={(e) => onOptionsChange({ ...options, basicAuthUser: e.currentTarget.value })}
            />
          </Field>
          <Field label={t('config.auth.basic.password', 'Password')}>
            <SecretInput id="pulse-config-basic-password" width={INPUT_WIDTH} {...secretProps('basicAuthPassword')} />
          </Field>
        </>
      )}
      {method === 'bearer' && (
        <Field
          label={t('config.auth.bearer.label', 'Token')}
          description={t(
            'config.auth.bearer.description',
            'Sent as "Authorization: Bearer <token>" with every request to Prometheus.'
          )}
        >
          <SecretInput id="pulse-config-bearer-token" width={INPUT_WIDTH} {...secretProps('bearerToken')} />
        </Field>
      )}
    </>
  );
}

function CustomHeaders({ options, onOptionsChange }: SectionProps) {
  const styles = useStyles2(getStyles);
  const headers = readCustomHeaders(options);
  const write = (next: CustomHeader[]) => onOptionsChange(writeCustomHeaders(options, next));
  const update = (index: number, change: Partial<CustomHeader>) =>
    write(headers.map((header, i) => (i === index ? { ...header, ...change } : header)));

  return (
    <Stack direction="column" gap={1}>
      <p className={styles.sectionDescription}>
        <Trans i18nKey="config.headers.description">
          Added to every request to Prometheus, e.g. X-Scope-OrgID for Mimir. Values are stored encrypted.
        </Trans>
      </p>
      {headers.map((header, i) => {
        const n = i + 1;
        const needsValue = header.name !== '' && !header.configured && !header.value;
        return (
          <Stack key={n} direction="row" gap={1} alignItems="flex-start">
            <Field
              noMargin
              label={t('config.headers.name.label', 'Header {{n}} name', { n })}
              invalid={header.name.trim() === ''}
              error={t('config.headers.name.error', 'Enter a header name or remove the row')}
            >
              <Input
                id={`pulse-config-header-name-${n}`}
                width={28}
                placeholder={HEADER_NAME_EXAMPLE}
                value={header.name}
                onChange={(e) => update(i, { name: e.currentTarget.value.trim() })}
              />
            </Field>
            <Field
              noMargin
              label={t('config.headers.value.label', 'Header {{n}} value', { n })}
              invalid={needsValue}
              error={t('config.headers.value.error', 'Enter the value')}
            >
              <SecretInput
                id={`pulse-config-header-value-${n}`}
                width={36}
                isConfigured={header.configured}
                value={header.value ?? ''}
                onReset={() => update(i, { configured: false, value: '' })}
                onChange={(e) => update(i, { value: e.currentTarget.value })}
              />
            </Field>
            <IconButton
              className={styles.removeHeader}
              name="trash-alt"
              tooltip={t('config.headers.remove', 'Remove header {{n}}', { n })}
              onClick={() => write(headers.filter((_, j) => j !== i))}
            />
          </Stack>
        );
      })}
      <div>
        <Button
          variant="secondary"
          icon="plus"
          size="sm"
          onClick={() => write([...headers, { name: '', value: '', configured: false, slot: headers.length + 1 }])}
        >
          <Trans i18nKey="config.headers.add">Add header</Trans>
        </Button>
      </div>
    </Stack>
  );
}

type MetricNameKey = Exclude<keyof NestMetricNames, 'profile'>;

function MetricNames({ options, onOptionsChange }: SectionProps) {
  const metrics = options.jsonData.metrics ?? {};
  const choice: ProfileChoice = profileChoice(metrics.profile);
  // The names the chosen profile uses, with its defaults as placeholders; with auto the NestJS interceptors'
  // (the HTTP profiles keep their libraries' names, see resolveProfiles).
  const used = profileMetricNames(PROFILES[choice === AUTO_PROFILE ? DEFAULT_PROFILE : choice]);
  const description =
    choice === AUTO_PROFILE
      ? t(
          'config.metrics.profile.auto-description',
          'Each service is read with the instrumentation its own metrics match, so services instrumented in different ways show side by side. The names below rename the NestJS interceptor metrics; to rename prom-client or OpenTelemetry metrics, choose that instrumentation.'
        )
      : translateMessage(PROFILES[choice].description);
  const all: Array<{ key: MetricNameKey; label: string; description: string }> = [
    {
      key: 'histogram',
      label: t('config.metrics.histogram.label', 'Request histogram'),
      description: t(
        'config.metrics.histogram.description',
        'Histogram of every request, with the operation and status labels of this instrumentation.'
      ),
    },
    {
      key: 'successHistogram',
      label: t('config.metrics.success-histogram.label', 'Success latency histogram'),
      description: t(
        'config.metrics.success-histogram.description',
        'Histogram (seconds) observed when a handler returns.'
      ),
    },
    {
      key: 'failHistogram',
      label: t('config.metrics.fail-histogram.label', 'Failure latency histogram'),
      description: t(
        'config.metrics.fail-histogram.description',
        'Histogram (seconds) observed when a handler throws.'
      ),
    },
    {
      key: 'failedCounter',
      label: t('config.metrics.failed-counter.label', 'Failed requests counter'),
      description: t('config.metrics.failed-counter.description', 'Counter of failed requests, with an error label.'),
    },
    {
      key: 'info',
      label: t('config.metrics.info.label', 'Service info gauge'),
      description: t('config.metrics.info.description', 'Gauge with the service domain, name and version labels.'),
    },
  ];

  const fields = all.filter(({ key }) => used[key] !== undefined);

  const onChange = (key: MetricNameKey, value: string) => {
    const next: NestMetricNames = { ...metrics };
    if (value.trim() === '') {
      delete next[key];
    } else {
      next[key] = value.trim();
    }
    onOptionsChange(setJsonData(options, 'metrics', next));
  };

  const onProfile = (id: ProfileChoice) => {
    // Names typed for another instrumentation would rename this one's metrics: start from its defaults.
    const next: NestMetricNames = id === AUTO_PROFILE ? {} : { profile: id };
    onOptionsChange(setJsonData(options, 'metrics', next));
  };

  // Asks the saved data source which instrumentation its services export (the health check's count of each
  // profile's targets) and picks the one most targets export.
  const [detection, setDetection] = useState<{ ok: boolean; text: string }>();
  const detect = async () => {
    try {
      const dataSource = (await getDataSourceSrv().get(options.uid)) as unknown as PulseDataSource;
      const { exporters } = await dataSource.getExporters(true);
      const found = (exporters.find((e) => e.key === 'nestjs')?.profiles ?? []).filter((p) => isProfileId(p.profile));
      const best = [...found].sort((a, b) => b.targets - a.targets)[0];
      if (!best) {
        setDetection({
          ok: false,
          text: t(
            'config.metrics.detect.none',
            'No scrape target exports the request metrics of any instrumentation Pulse knows yet.'
          ),
        });
        return;
      }
      if (found.length > 1) {
        // Services instrumented in several ways: only auto shows all of them.
        onProfile(AUTO_PROFILE);
        setDetection({
          ok: true,
          text: t(
            'config.metrics.detect.several',
            'Chosen: auto, for the {{count}} instrumentations found: {{profiles}}.',
            {
              count: found.length,
              profiles: found.map((p) => translateMessage(PROFILES[p.profile as ProfileId].title)).join('; '),
            }
          ),
        });
        return;
      }
      onProfile(best.profile as ProfileId);
      setDetection({
        ok: true,
        text: t('config.metrics.detect.found', 'Chosen: {{profile}}, exported by {{count}} targets.', {
          profile: translateMessage(PROFILES[best.profile as ProfileId].title),
          count: best.targets,
        }),
      });
    } catch {
      setDetection({
        ok: false,
        text: t(
          'config.metrics.detect.failed',
          'Detection asks Prometheus through the saved settings: save the data source (Save & test) and try again.'
        ),
      });
    }
  };

  return (
    <>
      <Field label={t('config.metrics.profile.label', 'Instrumentation')} description={description}>
        <Combobox<ProfileChoice>
          id="pulse-config-metric-profile"
          // The profiles' names are long; a name cut short would hide which instrumentation is chosen.
          width={64}
          options={[
            {
              value: AUTO_PROFILE,
              label: t('config.metrics.profile.auto', 'Auto: each service with the instrumentation it exports'),
            },
            ...PROFILE_IDS.map((id) => ({ value: id, label: translateMessage(PROFILES[id].title) })),
          ]}
          value={choice}
          onChange={(option) => onProfile(option.value)}
        />
      </Field>
      <Box marginBottom={2}>
        <Stack direction="row" alignItems="center" gap={1}>
          <Button variant="secondary" size="sm" icon="search" onClick={detect}>
            <Trans i18nKey="config.metrics.detect.button">Detect from Prometheus</Trans>
          </Button>
          {detection && (
            <span role="status" data-testid="pulse-config-detection">
              {detection.text}
            </span>
          )}
        </Stack>
      </Box>
      {fields.map(({ key, label, description }) => (
        <Field key={key} label={label} description={description}>
          <Input
            id={`pulse-config-metric-${key}`}
            width={INPUT_WIDTH}
            placeholder={used[key]}
            value={metrics[key] ?? ''}
            onChange={(e) => onChange(key, e.currentTarget.value)}
          />
        </Field>
      ))}
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  editor: css({
    maxWidth: theme.spacing(100),
  }),
  sectionDescription: css({
    color: theme.colors.text.secondary,
    marginBottom: theme.spacing(1),
  }),
  removeHeader: css({
    marginTop: theme.spacing(4),
  }),
});
