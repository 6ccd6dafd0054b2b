export { getServicesPage } from './servicesPage';
