import { setupServer } from 'msw/node';
import { handlers } from './handlers';

/** The MSW server of every test (started and reset by setupTests.ts). */
export const server = setupServer(...handlers);
