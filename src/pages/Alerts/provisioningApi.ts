/**
 * The requests the Alerts page makes to Grafana's alerting provisioning HTTP API: read the Pulse rules, make the
 * Pulse folder, PUT one rule group per pack, delete rules. Every write carries `X-Disable-Provenance: true`, so the
 * rules stay editable in Grafana's UI (see src/alerts/install.ts).
 */
import { lastValueFrom } from 'rxjs';
import { t } from '@grafana/i18n';
import { getBackendSrv, isFetchError } from '@grafana/runtime';

import { mergedGroup, PULSE_FOLDER, type ProvisionedGroup, type ProvisionedRule } from '../../alerts/install';
import { groupName } from '../../alerts/export';
import type { AlertPack } from '../../signals';

const NO_PROVENANCE = { 'X-Disable-Provenance': 'true' };

/** The permissions Grafana's provisioning API asks for (either is enough), as its routes check them. */
export const ALERTING_PERMISSIONS = {
  write: ['alert.provisioning:write', 'alert.rules.provisioning:write'],
  read: ['alert.provisioning:read', 'alert.rules.provisioning:read', 'alert.rules:read'],
  createFolder: 'folders:create',
} as const;

export class AlertingApiError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message);
  }
}

async function request<T>(method: string, url: string, data?: unknown): Promise<T> {
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<T>({
        method,
        url,
        data,
        headers: method === 'GET' ? undefined : NO_PROVENANCE,
        showErrorAlert: false,
        showSuccessAlert: false,
      })
    );
    return response.data;
  } catch (error) {
    if (isFetchError<{ message?: string }>(error)) {
      throw new AlertingApiError(explain(error.status, error.data?.message ?? error.statusText ?? ''), error.status);
    }
    throw error;
  }
}

/** Grafana's answer with what to do next; a 403 names the permission (Grafana's message names it too). */
function explain(status: number, message: string): string {
  if (status === 403) {
    return t(
      'pages.alerts.api.forbidden',
      'Grafana refused: your user lacks a permission this needs ({{permissions}}). Ask an administrator to grant it, or to install the rules. Grafana says: {{message}}',
      {
        permissions: [...ALERTING_PERMISSIONS.write, ALERTING_PERMISSIONS.createFolder].join(', '),
        message,
        interpolation: { escapeValue: false },
      }
    );
  }
  return t('pages.alerts.api.failed', 'Grafana answered {{status}}: {{message}}', {
    status,
    message,
    interpolation: { escapeValue: false },
  });
}

/** Every rule Pulse installed (labelled `pulse_pack`), whatever folder someone moved it to. */
export async function listPulseRules(): Promise<ProvisionedRule[]> {
  const rules = await request<ProvisionedRule[]>('GET', '/api/v1/provisioning/alert-rules');
  return (rules ?? []).filter((r) => r.labels?.pulse_pack);
}

async function ensureFolder(): Promise<void> {
  try {
    await request('GET', `/api/folders/${PULSE_FOLDER.uid}`);
  } catch (error) {
    if (error instanceof AlertingApiError && error.status === 404) {
      await request('POST', '/api/folders', { uid: PULSE_FOLDER.uid, title: PULSE_FOLDER.title });
      return;
    }
    throw error;
  }
}

/** Writes a pack's rules into its group (created with folder Pulse if needed), keeping the group's other rules. */
export async function installRules(pack: AlertPack, rules: ProvisionedRule[]): Promise<ProvisionedGroup> {
  await ensureFolder();
  const url = `/api/v1/provisioning/folder/${PULSE_FOLDER.uid}/rule-groups/${groupName(pack)}`;
  let existing: ProvisionedRule[] = [];
  try {
    existing = (await request<ProvisionedGroup>('GET', url)).rules ?? [];
  } catch (error) {
    if (!(error instanceof AlertingApiError && error.status === 404)) {
      throw error;
    }
  }
  const group = mergedGroup(pack, existing, rules);
  return request<ProvisionedGroup>('PUT', url, group);
}

export async function uninstallRules(uids: string[]): Promise<void> {
  for (const uid of uids) {
    await request('DELETE', `/api/v1/provisioning/alert-rules/${encodeURIComponent(uid)}`);
  }
}
