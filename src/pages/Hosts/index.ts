export { getHostsPage } from './hostsPage';
