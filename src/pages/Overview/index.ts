export { getOverviewPage } from './overviewPage';
