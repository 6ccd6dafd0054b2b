export { getTargetsPage } from './targetsPage';
