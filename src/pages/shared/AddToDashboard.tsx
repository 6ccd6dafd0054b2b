import React, { useState, type ComponentType } from 'react';
import { locationUtil, PluginExtensionExposedComponents, type TimeRange } from '@grafana/data';
import { t } from '@grafana/i18n';
import { getBackendSrv, usePluginComponent } from '@grafana/runtime';
import {
  sceneGraph,
  SceneObjectBase,
  type SceneComponentProps,
  type SceneObjectState,
  VizPanel,
} from '@grafana/scenes';
import type { Panel } from '@grafana/schema';
import { Alert, Button, Field, IconButton, Input, LinkButton, LoadingPlaceholder, Modal, Stack } from '@grafana/ui';

import { PERMISSIONS, userCan } from '../../utils/permissions';
import { dashboardPanel, dashboardWithPanel } from './dashboardPanel';

/** Grafana's own "Add to dashboard" form, which Grafana 12.x and 13.x expose to app plugins. */
export const ADD_TO_DASHBOARD_FORM =
  PluginExtensionExposedComponents?.AddToDashboardFormV1 ?? 'grafana/add-to-dashboard-form/v1';

interface AddToDashboardFormProps {
  onClose: () => void;
  buildPanel: () => Panel;
  timeRange?: TimeRange;
  options?: { useAbsolutePath: boolean };
}

/**
 * The panel's "Add to dashboard" action: Grafana's own form where the running Grafana exposes it (choose a new or
 * an existing dashboard, as from Explore), else a new dashboard holding the panel through Grafana's dashboard API.
 * Either way the panel keeps its visualisation, options and Pulse queries (see dashboardPanel). Shown only to users
 * who may create dashboards (`dashboards:create`; not a Viewer).
 */
export class AddToDashboardButton extends SceneObjectBase<SceneObjectState> {
  static Component = AddToDashboardRenderer;

  panel(): VizPanel {
    return sceneGraph.getAncestor(this, VizPanel);
  }
}

export function addToDashboardAction(): AddToDashboardButton {
  return new AddToDashboardButton({});
}

function AddToDashboardRenderer({ model }: SceneComponentProps<AddToDashboardButton>) {
  const [open, setOpen] = useState(false);
  if (!userCan(PERMISSIONS.createDashboard)) {
    return null;
  }
  return (
    <>
      {/* An icon beside Explore, so the panel's title keeps its room in the header. */}
      <IconButton
        name="apps"
        size="sm"
        tooltip={t('pages.shared.addToDashboard.action', 'Add to dashboard')}
        onClick={() => setOpen(true)}
      />
      {open && <AddToDashboardModal panel={model.panel()} onClose={() => setOpen(false)} />}
    </>
  );
}

// Grafana sets the hook at start-up; without it (tests, an older Grafana) there is no exposed form.
function useExposedForm(): { component?: ComponentType<AddToDashboardFormProps> | null; isLoading: boolean } {
  try {
    return usePluginComponent<AddToDashboardFormProps>(ADD_TO_DASHBOARD_FORM);
  } catch {
    return { component: null, isLoading: false };
  }
}

function AddToDashboardModal({ panel, onClose }: { panel: VizPanel; onClose: () => void }) {
  const { component: Form, isLoading } = useExposedForm();
  const range = sceneGraph.getTimeRange(panel).state.value;
  const title = t('pages.shared.addToDashboard.title', 'Add panel to dashboard');
  return (
    <Modal title={title} isOpen onDismiss={onClose}>
      {isLoading ? (
        <LoadingPlaceholder text={t('pages.shared.addToDashboard.loading', 'Loading…')} />
      ) : Form ? (
        <Form buildPanel={() => dashboardPanel(panel)} timeRange={range} onClose={onClose} />
      ) : (
        <NewDashboardForm panel={panel} range={range} onClose={onClose} />
      )}
    </Modal>
  );
}

type Saved =
  { state: 'idle' } | { state: 'saving' } | { state: 'saved'; url: string } | { state: 'failed'; why: string };

function NewDashboardForm({ panel, range, onClose }: { panel: VizPanel; range: TimeRange; onClose: () => void }) {
  const [name, setName] = useState(() => sceneGraph.interpolate(panel, panel.state.title));
  const [saved, setSaved] = useState<Saved>({ state: 'idle' });

  const create = async () => {
    setSaved({ state: 'saving' });
    try {
      const dashboard = dashboardWithPanel(name.trim(), dashboardPanel(panel), range);
      const answer = await getBackendSrv().post<{ url?: string; uid?: string }>(
        '/api/dashboards/db',
        {
          dashboard,
          folderUid: '',
          overwrite: false,
          message: t('pages.shared.addToDashboard.versionMessage', 'Added from Pulse'),
        },
        { showErrorAlert: false }
      );
      setSaved({ state: 'saved', url: answer.url ?? `/d/${answer.uid}` });
    } catch (error) {
      setSaved({ state: 'failed', why: failureText(error) });
    }
  };

  if (saved.state === 'saved') {
    return (
      <Stack direction="column" gap={2}>
        <Alert severity="success" title={t('pages.shared.addToDashboard.saved', 'Dashboard created')}>
          {t('pages.shared.addToDashboard.savedText', 'The panel is on a new dashboard, "{{name}}".', { name })}
        </Alert>
        <Modal.ButtonRow>
          <Button variant="secondary" fill="outline" onClick={onClose}>
            {t('pages.shared.addToDashboard.close', 'Close')}
          </Button>
          <LinkButton href={locationUtil.assureBaseUrl(saved.url)}>
            {t('pages.shared.addToDashboard.open', 'Open dashboard')}
          </LinkButton>
        </Modal.ButtonRow>
      </Stack>
    );
  }
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        create();
      }}
    >
      <Field
        label={t('pages.shared.addToDashboard.name', 'New dashboard title')}
        description={t(
          'pages.shared.addToDashboard.description',
          'The panel keeps its Pulse queries, with the page variables filled in, over the time range of the page.'
        )}
        invalid={name.trim() === ''}
        error={t('pages.shared.addToDashboard.nameRequired', 'A dashboard needs a title')}
      >
        <Input
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          aria-label={t('pages.shared.addToDashboard.name', 'New dashboard title')}
        />
      </Field>
      {saved.state === 'failed' && (
        <Alert severity="error" title={t('pages.shared.addToDashboard.failed', 'The dashboard was not created')}>
          {saved.why}
        </Alert>
      )}
      <Modal.ButtonRow>
        <Button variant="secondary" fill="outline" onClick={onClose}>
          {t('pages.shared.addToDashboard.cancel', 'Cancel')}
        </Button>
        <Button type="submit" disabled={name.trim() === '' || saved.state === 'saving'}>
          {t('pages.shared.addToDashboard.create', 'Create dashboard')}
        </Button>
      </Modal.ButtonRow>
    </form>
  );
}

// Grafana's API errors carry a status and a message (a 403 names the permission; a 412 a title already taken).
function failureText(error: unknown): string {
  const e = error as { status?: number; data?: { message?: string } } | undefined;
  const message = e?.data?.message ?? (error instanceof Error ? error.message : String(error));
  if (e?.status === 403) {
    return t(
      'pages.shared.addToDashboard.denied',
      'Grafana refused: creating a dashboard needs the dashboards:create permission (an Editor or Admin role). {{message}}',
      { message }
    );
  }
  return e?.status ? `${e.status}: ${message}` : message;
}
