export { getPostgresPage } from './postgresPage';
