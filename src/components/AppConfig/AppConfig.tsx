import React, { useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { AppPluginMeta, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { t, Trans } from '@grafana/i18n';
import { DataSourcePicker, getBackendSrv, getDataSourceSrv } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Stack, TextLink } from '@grafana/ui';

import { NEW_DATASOURCE_URL, PULSE_DATASOURCE_TYPE } from '../../constants';
import { AppSettings } from '../../settings';
import { reloadPage } from '../../utils/reloadPage';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

const AppConfig = ({ plugin }: AppConfigProps) => {
  const { id, enabled, pinned, jsonData } = plugin.meta;
  const [defaultDatasourceUid, setDefaultDatasourceUid] = useState(jsonData?.defaultDatasourceUid);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const hasPulseDataSource = getDataSourceSrv().getList({ pluginId: PULSE_DATASOURCE_TYPE }).length > 0;

  const onSave = async () => {
    setSaving(true);
    setSaveError(undefined);
    try {
      await updatePluginSettings(id, {
        enabled,
        pinned,
        jsonData: { ...jsonData, defaultDatasourceUid },
      });
      // Grafana hands plugin settings to the app only when it loads; reload so the pages see the change.
      reloadPage();
    } catch (error) {
      setSaveError(error instanceof Error ? error.message : String(error));
      setSaving(false);
    }
  };

  return (
    <FieldSet label={t('app-config.title', 'Pulse settings')}>
      <Stack direction="column" gap={2}>
        {!hasPulseDataSource && (
          <Alert severity="info" title={t('app-config.no-datasource.title', 'No Pulse data source yet')}>
            <Stack direction="column" gap={1}>
              <span>
                {t(
                  'app-config.no-datasource.body',
                  'Pulse pages read from a Pulse Prometheus data source. Add one, then choose it here.'
                )}
              </span>
              <TextLink href={NEW_DATASOURCE_URL}>{t('app-config.no-datasource.add', 'Add a data source')}</TextLink>
            </Stack>
          </Alert>
        )}
        <Field
          noMargin
          label={t('app-config.default-datasource.label', 'Default data source')}
          description={t(
            'app-config.default-datasource.description',
            'The Pulse data source the pages open with. Without a choice, the first Pulse data source is used.'
          )}
        >
          <DataSourcePicker
            inputId="pulse-app-config-default-datasource"
            pluginId={PULSE_DATASOURCE_TYPE}
            current={defaultDatasourceUid ?? null}
            noDefault
            width={40}
            placeholder={t('app-config.default-datasource.placeholder', 'First Pulse data source')}
            onChange={(ds) => setDefaultDatasourceUid(ds.uid)}
            onClear={() => setDefaultDatasourceUid(undefined)}
          />
        </Field>
        {saveError && (
          <Alert severity="error" title={t('app-config.save-error', 'Settings were not saved')}>
            {saveError}
          </Alert>
        )}
        <div>
          <Button onClick={onSave} disabled={saving} icon={saving ? 'spinner' : undefined}>
            <Trans i18nKey="app-config.save">Save settings</Trans>
          </Button>
        </div>
      </Stack>
    </FieldSet>
  );
};

export default AppConfig;

async function updatePluginSettings(pluginId: string, data: Partial<PluginMeta<AppSettings>>) {
  const response = getBackendSrv().fetch({
    url: `/api/plugins/${pluginId}/settings`,
    method: 'POST',
    data,
    showErrorAlert: false,
  });
  return lastValueFrom(response);
}
