import { addToDashboardAction } from './AddToDashboard';
import { createAlertAction } from './createAlert';
import { exploreAction } from './explore';

/**
 * The header actions of every page panel: Explore, Create alert, Add to dashboard. Each decides for itself whether
 * it shows (the user's permissions; Create alert only on panels a threshold can alert on).
 */
export const panelActions = () => [exploreAction(), createAlertAction(), addToDashboardAction()];
