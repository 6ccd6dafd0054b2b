import {
  test,
  expect,
  DATASOURCE_PROVISIONING_FILE,
  DATASOURCE_TYPE,
  grafanaIsReachable,
  NO_GRAFANA,
} from './fixtures';

test.skip(!grafanaIsReachable(), NO_GRAFANA);

test.describe('Pulse data source', () => {
  test('"Save & test" passes against the compose Prometheus', async ({
    readProvisionedDataSource,
    gotoDataSourceConfigPage,
  }) => {
    const provisioned = await readProvisionedDataSource({ fileName: DATASOURCE_PROVISIONING_FILE });
    expect(provisioned.type).toBe(DATASOURCE_TYPE);

    const configPage = await gotoDataSourceConfigPage(provisioned.uid);

    await expect(configPage.saveAndTest()).toBeOK();
    await expect(configPage).toHaveAlert('success');
  });
});
