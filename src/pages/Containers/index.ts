export { getContainersPage } from './containersPage';
