export { getAlertsPage } from './alertsPage';
