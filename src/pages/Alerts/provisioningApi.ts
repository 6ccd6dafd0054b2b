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

const allRules = async () => (await request<ProvisionedRule[]>('GET', '/api/v1/provisioning/alert-rules')) ?? [];

/** Every rule Pulse installed (labelled `pulse_pack`), whatever folder someone moved it to. */
export async function listPulseRules(): Promise<ProvisionedRule[]> {
  return (await allRules()).filter((r) => r.labels?.pulse_pack);
}

// Read from the lists rather than by uid: a missing folder or group is then no failed request (a 404 in the console).
async function ensureFolder(): Promise<void> {
  const folders = (await request<Array<{ uid: string }>>('GET', '/api/folders')) ?? [];
  if (!folders.some((f) => f.uid === PULSE_FOLDER.uid)) {
    await request('POST', '/api/folders', { uid: PULSE_FOLDER.uid, title: PULSE_FOLDER.title });
  }
}

/** Writes a pack's rules into its group (created with folder Pulse if needed), keeping the group's other rules. */
export async function installRules(pack: AlertPack, rules: ProvisionedRule[]): Promise<ProvisionedGroup> {
  await ensureFolder();
  const group = groupName(pack);
  const existing = (await allRules()).filter((r) => r.folderUID === PULSE_FOLDER.uid && r.ruleGroup === group);
  return request<ProvisionedGroup>(
    'PUT',
    `/api/v1/provisioning/folder/${PULSE_FOLDER.uid}/rule-groups/${group}`,
    mergedGroup(pack, existing, rules)
  );
}

export async function uninstallRules(uids: string[]): Promise<void> {
  for (const uid of uids) {
    await request('DELETE', `/api/v1/provisioning/alert-rules/${encodeURIComponent(uid)}`);
  }
}
